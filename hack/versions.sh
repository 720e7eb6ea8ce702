# Pinned versions of every tool the test environment uses. Sourced by the
# other hack/ scripts; change a version here and the next run rebuilds it.
BUILDKIT_VERSION=v0.33.1
BUILDX_VERSION=v0.37.2
GGCR_VERSION=v0.22.1
DEBIAN_SUITE=bookworm
# The npm of the Node.js stand-ins: AWS's Node.js 20+ images carry npm 10,
# whose --cpu and --os fetch another platform's packages; Debian's npm 9
# ignores them.
NPM_VERSION=10.9.9
# AWS's runtime interface client for Python, in the Python stand-ins, for
# each stand-in's Python (3.11, 3.13, 3.14).
AWSLAMBDARIC_VERSION=4.2.2
# AWS's runtime interface client for Java, from Maven Central, in the Java
# stand-ins.
JAVA_RIC_VERSION=2.9.0
# Debian's QEMU user emulation, for the benchmark's emulated arm64 baseline
# only (hack/qemu.sh); never registered while the tests run.
QEMU_VERSION=1:7.2+dfsg-7+deb12u18+b3

# Everything is installed under one cache directory outside the checkout, so
# a fresh clone on the same machine reuses it and `git clean` never loses it.
BKL_HOME=${BKL_HOME:-${XDG_CACHE_HOME:-$HOME/.cache}/buildkit-lambda}
BKL_BIN=$BKL_HOME/bin
BKL_STATE=$BKL_HOME/state
BKL_SOCK=${BKL_SOCK:-unix://$BKL_STATE/buildkitd.sock}
BKL_REGISTRY_PORT=${BKL_REGISTRY_PORT:-5000}
BKL_REGISTRY=localhost:$BKL_REGISTRY_PORT
BKL_BUILDER=${BKL_BUILDER:-buildkit-lambda}
export PATH=$BKL_BIN:$PATH
