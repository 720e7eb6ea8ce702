// Package e2e proves the frontend against a real BuildKit: it builds the
// frontend image from the project's Dockerfile, builds every example through
// `docker buildx build` exactly as a user does, reads the images back from
// the registry, and invokes them the way Lambda does.
//
// The environment comes from hack/test.sh (make test): buildkitd, the
// buildx builder, the loopback registry and the stand-in base images. The
// tests skip only under -short, and fail when the environment is missing.
package e2e
