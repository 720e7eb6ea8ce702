#!/usr/bin/env bash
# QEMU user emulation of arm64, for the benchmark's emulated baseline only:
#   hack/qemu.sh register     installs Debian's qemu-user-static (pinned in
#                             hack/versions.sh) and registers it with binfmt_misc
#   hack/qemu.sh unregister   removes the registration and restarts the
#                             test environment's buildkitd
# buildkitd adds every platform it finds an emulator for to its worker and
# never drops it: after QEMU, the builder would claim linux/arm64, and the
# frontend would run arm64 test steps that nothing can run. The end-to-end
# tests assert that no handler is active and that the builder does not
# claim arm64 (TestNoArm64Emulator), so hack/bench.sh unregisters on every
# exit.
set -euo pipefail
cd "$(dirname "$0")/.."
. hack/versions.sh

binfmt=/proc/sys/fs/binfmt_misc
handler=$binfmt/qemu-aarch64

log() { echo "==> $*" >&2; }

case "${1:-}" in
register)
	if [ "$(dpkg-query -W -f '${Version}' qemu-user-static 2>/dev/null)" != "$QEMU_VERSION" ]; then
		log "apt-get install qemu-user-static=$QEMU_VERSION"
		apt-get update -qq
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "qemu-user-static=$QEMU_VERSION" >/dev/null
	fi
	if [ ! -e "$binfmt/register" ]; then
		mount -t binfmt_misc binfmt_misc "$binfmt"
	fi
	if [ ! -e "$handler" ]; then
		# Debian's own registration: F opens the interpreter now, so that
		# it also runs inside the build's containers.
		cat /usr/lib/binfmt.d/qemu-aarch64.conf >"$binfmt/register"
	fi
	log "registered $(head -1 "$handler") $(sed -n 's/^interpreter //p' "$handler")"
	;;
unregister)
	if [ -e "$handler" ]; then
		echo -1 >"$handler"
		log "unregistered qemu-aarch64"
	fi
	if docker buildx inspect "$BKL_BUILDER" 2>/dev/null | grep -q '^Platforms:.*linux/arm64'; then
		log "restarting buildkitd: it still claims linux/arm64"
		hack/buildkitd.sh stop "$BKL_BUILDER"
		hack/buildkitd.sh start "$BKL_BUILDER"
	fi
	;;
*)
	echo "usage: hack/qemu.sh register|unregister" >&2
	exit 2
	;;
esac
