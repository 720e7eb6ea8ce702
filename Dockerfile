# The buildkit-lambda frontend image: one static binary on scratch.
# Build: docker buildx build -t REGISTRY/buildkit-lambda:TAG --push .
FROM --platform=$BUILDPLATFORM golang:1.26 AS build
WORKDIR /src
COPY go.mod go.sum ./
RUN --mount=type=cache,target=/go/pkg/mod go mod download
COPY . .
ARG TARGETOS TARGETARCH VERSION=dev
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH go build -trimpath \
      -ldflags "-s -w -X github.com/buildkit-lambda/buildkit-lambda/frontend.Version=$VERSION" \
      -o /frontend ./cmd/frontend

FROM scratch
COPY --from=build /frontend /bin/frontend
# The frontend needs no network of its own, and tells buildx which requests
# it answers: frontend inputs (named contexts from other builds), subrequests
# (--call targets) and --build-context.
LABEL moby.buildkit.frontend.network.none="true" \
      moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts"
ENTRYPOINT ["/bin/frontend"]
