#!/usr/bin/env bash
# `make bench`: sets up the test environment like `make test`, then runs
# the benchmark, which writes bench/RESULTS.md and bench/ratios.png.
# Extra arguments go to the benchmark, for example:
#   hack/bench.sh -functions python-data
# QEMU is registered only around the emulated arm64 baseline's builds, and
# unregistered however the benchmark ends.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/versions.sh
hack/install-tools.sh
hack/env-up.sh
hack/standins.sh
trap 'hack/qemu.sh unregister' EXIT
export BKL_SOCK BKL_REGISTRY BKL_BUILDER BKL_STATE
go run ./bench "$@"
