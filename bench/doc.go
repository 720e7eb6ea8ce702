// Command bench measures what the frontend is for: build speed, image size,
// buildkitd's memory and frontend overhead of lambda.yaml against a naive
// and an expert hand-written Dockerfile, for real-sized functions under
// bench/functions, all built by the same buildkitd through docker buildx
// build: cold, warm, after a code change and a dependency change, on a
// fresh builder importing a registry cache, and for arm64 against the
// expert Dockerfile under QEMU. It writes bench/RESULTS.md and
// bench/ratios.png. It reports figures and never fails on them; `make
// bench` runs it (see bench/README.md).
package main
