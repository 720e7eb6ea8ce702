# What a careful engineer writes for one service of an npm workspace: the
# root manifests and every workspace's package.json first (npm ci checks the
# lockfile against all of them), the service's production dependencies alone
# with npm's cache on a cache mount, then the shared package and the
# service's code, with COPY --link. docker-bake.hcl builds it once per
# service with SERVICE set.
FROM public.ecr.aws/lambda/nodejs:22 AS prod
ARG SERVICE
WORKDIR /build
COPY package.json package-lock.json ./
COPY packages/common/package.json packages/common/
COPY services/orders/package.json services/orders/
COPY services/users/package.json services/users/
COPY services/payments/package.json services/payments/
COPY services/inventory/package.json services/inventory/
COPY services/notify/package.json services/notify/
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --workspace=services/${SERVICE} --no-audit --no-fund

FROM public.ecr.aws/lambda/nodejs:22
ARG SERVICE
COPY --link --from=prod /build/node_modules ${LAMBDA_TASK_ROOT}/node_modules
# node_modules/@shop/common links to ../../packages/common.
COPY --link packages/common ${LAMBDA_TASK_ROOT}/packages/common
COPY --link services/${SERVICE}/ ${LAMBDA_TASK_ROOT}/
CMD ["index.handler"]
