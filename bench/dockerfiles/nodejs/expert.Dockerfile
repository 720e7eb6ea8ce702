# What a careful engineer writes: manifests first, npm's cache on a cache
# mount, a full install for the build and a production one for the image,
# and COPY --link so each layer is rebased, not rebuilt.
FROM public.ecr.aws/lambda/nodejs:22 AS deps
WORKDIR /build
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund

FROM deps AS build
COPY tsconfig.json ./
COPY src ./src
RUN npm run build

FROM public.ecr.aws/lambda/nodejs:22 AS prod
WORKDIR /build
COPY package.json package-lock.json ./
RUN --mount=type=cache,target=/root/.npm npm ci --omit=dev --no-audit --no-fund

FROM public.ecr.aws/lambda/nodejs:22
ENV GREETING=Hello LOG_LEVEL=info
COPY --link --from=prod /build/node_modules ${LAMBDA_TASK_ROOT}/node_modules
COPY --link package.json ${LAMBDA_TASK_ROOT}/
COPY --link --from=build /build/dist/ ${LAMBDA_TASK_ROOT}/
CMD ["app.handler"]
