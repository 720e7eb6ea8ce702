# The two commands of the README. Both set up everything they need.
.PHONY: run test unit bench

# Build examples/nodejs into a Lambda image on a local BuildKit.
run:
	@hack/run.sh

# Set up the test environment and run every test, end to end included.
test:
	@hack/test.sh

# Unit tests only, no BuildKit needed.
unit:
	go test -short ./...

# Benchmark lambda.yaml against hand-written Dockerfiles; writes
# bench/RESULTS.md and bench/ratios.png. Not a test: it never fails on figures.
bench:
	@hack/bench.sh
