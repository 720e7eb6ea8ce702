#!/usr/bin/env bash
# Starts the local test environment, reusing whatever already runs:
#   - the loopback registry (internal/cmd/registry) on $BKL_REGISTRY
#     (images kept in memory);
#   - buildkitd with the OCI worker (runc), whose registry mirrors send
#     public.ecr.aws and docker.io to the loopback registry;
#   - a buildx builder named $BKL_BUILDER with the remote driver on it.
set -euo pipefail
. "$(dirname "$0")/versions.sh"
mkdir -p "$BKL_STATE"
log() { printf '==> %s\n' "$*" >&2; }

wait_for() { # wait_for WHAT SECONDS CMD...
	local what=$1 secs=$2
	shift 2
	for _ in $(seq "$((secs * 5))"); do
		"$@" >/dev/null 2>&1 && return 0
		sleep 0.2
	done
	echo "$what did not come up; see $BKL_STATE/*.log" >&2
	return 1
}

registry_up() { curl -fsS "http://$BKL_REGISTRY/v2/" >/dev/null; }
if ! registry_up; then
	log "starting registry on $BKL_REGISTRY"
	nohup registry -port "$BKL_REGISTRY_PORT" >"$BKL_STATE/registry.log" 2>&1 &
	wait_for registry 20 registry_up
fi

"$(dirname "$0")/buildkitd.sh" start "$BKL_BUILDER"
log "environment up: registry $BKL_REGISTRY, buildkitd $BKL_SOCK, builder $BKL_BUILDER"
