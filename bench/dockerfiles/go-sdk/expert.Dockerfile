# What a careful engineer writes: go.mod first, module and build caches on
# cache mounts, a static stripped binary cross-compiled on the build
# platform (so linux/arm64 needs no emulation), and COPY --link onto the
# provided runtime.
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETARCH
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=linux GOARCH=$TARGETARCH \
    go build -trimpath -ldflags='-s -w' -tags lambda.norpc -o /out/bootstrap ./cmd/orders

FROM public.ecr.aws/lambda/provided:al2023
ENV GREETING=Hello
COPY --link --from=build /out/bootstrap /var/runtime/bootstrap
CMD ["bootstrap"]
