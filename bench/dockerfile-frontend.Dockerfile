# BuildKit's Dockerfile frontend as an image, built from the release the
# project pins, like docker/dockerfile (which cannot be pulled here). The
# benchmark compares lambda.yaml's frontend overhead with it: both start a
# frontend container, which the built-in Dockerfile frontend does not.
FROM golang:1.26 AS build
WORKDIR /src
# go install pkg@version refuses BuildKit's module (its go.mod has exclude
# directives), so the frontend is built from a module that requires it.
RUN --mount=type=cache,target=/go/pkg/mod --mount=type=cache,target=/root/.cache/go-build \
    go mod init dockerfile-frontend && \
    go get github.com/moby/buildkit/frontend/dockerfile/cmd/dockerfile-frontend@v0.33.1 && \
    CGO_ENABLED=0 go build -trimpath -ldflags='-s -w' -o /out/dockerfile-frontend \
      github.com/moby/buildkit/frontend/dockerfile/cmd/dockerfile-frontend

FROM scratch
COPY --from=build /out/dockerfile-frontend /bin/dockerfile-frontend
LABEL moby.buildkit.frontend.network.none="true" \
      moby.buildkit.frontend.caps="moby.buildkit.frontend.inputs,moby.buildkit.frontend.subrequests,moby.buildkit.frontend.contexts"
ENTRYPOINT ["/bin/dockerfile-frontend"]
