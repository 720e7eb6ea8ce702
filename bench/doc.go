// Command bench measures what the frontend is for: rebuild speed, image size
// and frontend overhead of lambda.yaml against a naive and an expert
// hand-written Dockerfile for each example, all built by the same buildkitd
// through docker buildx build, in alternating order and repeated runs. It
// writes bench/RESULTS.md and bench/ratios.png. It reports figures and
// never fails on them; `make bench` runs it (see bench/README.md).
package main
