# What a careful engineer writes: manifests first, npm's cache on a cache
# mount, the TypeScript compile on the build platform (its output runs
# anywhere), the production install on the target, whose native packages
# (sharp) must match it, and COPY --link so each layer is rebased, not
# rebuilt. For linux/arm64 on an amd64 machine, the production install runs
# under QEMU.
FROM --platform=$BUILDPLATFORM public.ecr.aws/lambda/nodejs:22 AS build
WORKDIR /build
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

FROM public.ecr.aws/lambda/nodejs:22 AS prod
WORKDIR /build
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

FROM public.ecr.aws/lambda/nodejs:22
ENV GREETING=Hello
COPY --link --from=prod /build/node_modules ${LAMBDA_TASK_ROOT}/node_modules
COPY --link package.json ${LAMBDA_TASK_ROOT}/
COPY --link --from=build /build/dist/ ${LAMBDA_TASK_ROOT}/
CMD ["app.handler"]
