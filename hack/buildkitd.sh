#!/usr/bin/env bash
# Starts or stops a buildkitd and the buildx builder (remote driver) on it.
#   hack/buildkitd.sh start NAME   start it, unless it already runs
#   hack/buildkitd.sh stop NAME    stop it and delete its state
# The builder named $BKL_BUILDER is the test environment's own, at $BKL_SOCK
# with its state in $BKL_STATE/buildkitd. Any other NAME gets a fresh
# daemon with state under $BKL_STATE/NAME, for tests that need an empty
# builder (reproducibility, cache import).
set -euo pipefail
. "$(dirname "$0")/versions.sh"
cmd=${1:?usage: buildkitd.sh start|stop NAME}
name=${2:?usage: buildkitd.sh start|stop NAME}
if [ "$name" = "$BKL_BUILDER" ]; then
	dir=$BKL_STATE root=$BKL_STATE/buildkitd sock=$BKL_SOCK
else
	dir=$BKL_STATE/$name root=$BKL_STATE/$name/root sock=unix://$BKL_STATE/$name/buildkitd.sock
fi
log() { printf '==> %s\n' "$*" >&2; }
up() { buildctl --addr "$sock" debug workers >/dev/null 2>&1; }

case $cmd in
start)
	mkdir -p "$dir"
	cat >"$dir/buildkitd.toml" <<TOML
root = "$root"
[grpc]
  address = ["$sock"]
[worker.oci]
  enabled = true
  snapshotter = "overlayfs"
[worker.containerd]
  enabled = false
# No AWS or Docker Hub image can be pulled here: stand-ins pushed to the
# loopback registry take their names (see hack/standins.sh).
[registry."public.ecr.aws"]
  mirrors = ["$BKL_REGISTRY"]
[registry."docker.io"]
  mirrors = ["$BKL_REGISTRY"]
[registry."$BKL_REGISTRY"]
  http = true
TOML
	if ! up; then
		log "starting buildkitd $name on $sock"
		nohup buildkitd --config "$dir/buildkitd.toml" >"$dir/buildkitd.log" 2>&1 &
		echo $! >"$dir/buildkitd.pid"
		for _ in $(seq 300); do up && break; sleep 0.2; done
		up || { echo "buildkitd $name did not come up; see $dir/buildkitd.log" >&2; exit 1; }
	fi
	if ! docker buildx inspect "$name" >/dev/null 2>&1; then
		docker buildx create --name "$name" --driver remote "$sock" >/dev/null
	fi
	docker buildx inspect --bootstrap "$name" >/dev/null
	;;
stop)
	docker buildx rm "$name" >/dev/null 2>&1 || true
	if [ -f "$dir/buildkitd.pid" ]; then
		pid=$(cat "$dir/buildkitd.pid")
		kill "$pid" 2>/dev/null || true
		for _ in $(seq 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
	fi
	if [ "$name" != "$BKL_BUILDER" ]; then
		rm -rf "$dir"
	fi
	;;
*)
	echo "usage: buildkitd.sh start|stop NAME" >&2
	exit 2
	;;
esac
