#!/usr/bin/env bash
# Installs the pinned test tools: runc, debootstrap, ssh-agent, npm, Maven
# and Ruby from Debian, buildkitd,
# buildctl and buildx built from their module source, go-containerregistry's
# crane, and the loopback registry (internal/cmd/registry, built from this
# repository every time: go's build cache makes that quick). Idempotent: a
# tool whose pinned version is already installed is left alone.
set -euo pipefail
. "$(dirname "$0")/versions.sh"
mkdir -p "$BKL_BIN"

log() { printf '==> %s\n' "$*" >&2; }

install_debian() {
	local missing=()
	command -v runc >/dev/null || missing+=(runc)
	command -v debootstrap >/dev/null || missing+=(debootstrap)
	command -v ssh-agent >/dev/null || missing+=(openssh-client) # TestSSHForwarding
	command -v npm >/dev/null || missing+=(npm)                   # the Node.js stand-ins' npm
	command -v dpkg-deb >/dev/null || missing+=(dpkg)             # arm64 stand-in roots
	command -v mvn >/dev/null || missing+=(maven)                 # the Java stand-ins' runtime interface client
	[ -s /etc/ssl/certs/java/cacerts ] || missing+=(ca-certificates-java) # the Java stand-ins' trust store
	command -v gem >/dev/null || missing+=(ruby)                  # the loopback gem source's gems (hack/gem-fixture.sh)
	[ ${#missing[@]} -eq 0 ] && return
	log "apt-get install ${missing[*]}"
	apt-get update -qq
	DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# build_from_module MODULE VERSION STAMP LDFLAGS PKG... builds the commands
# of a module at a version. `go install mod@version` refuses modules whose
# go.mod has replace or exclude directives, so the module is copied and built
# in place. The version is linked in, as the projects' releases do, because
# buildx decides some features by the version BuildKit reports.
build_from_module() {
	local mod=$1 version=$2 stamp=$3 ldflags=$4
	shift 4
	if [ "$(cat "$BKL_BIN/.$stamp" 2>/dev/null)" = "$version+ldflags" ]; then
		return
	fi
	log "building $mod@$version ($*)"
	local dir src
	dir=$(GOFLAGS=-mod=mod go mod download -json "$mod@$version" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
	src=$(mktemp -d)
	cp -r "$dir/." "$src"
	chmod -R u+w "$src"
	(cd "$src" && CGO_ENABLED=0 GOFLAGS=-mod=mod go build -ldflags "$ldflags" -o "$BKL_BIN/" "$@")
	rm -rf "$src"
	echo "$version+ldflags" >"$BKL_BIN/.$stamp"
}

install_debian
build_from_module github.com/moby/buildkit "$BUILDKIT_VERSION" buildkit \
	"-X github.com/moby/buildkit/version.Version=$BUILDKIT_VERSION" ./cmd/buildkitd ./cmd/buildctl
build_from_module github.com/docker/buildx "$BUILDX_VERSION" buildx \
	"-X github.com/docker/buildx/version.Version=$BUILDX_VERSION" ./cmd/buildx
if [ "$(cat "$BKL_BIN/.ggcr" 2>/dev/null)" != "$GGCR_VERSION" ]; then
	log "installing crane $GGCR_VERSION"
	GOBIN=$BKL_BIN go install "github.com/google/go-containerregistry/cmd/crane@$GGCR_VERSION"
	echo "$GGCR_VERSION" >"$BKL_BIN/.ggcr"
fi
(cd "$(dirname "$0")/.." && CGO_ENABLED=0 go build -o "$BKL_BIN/registry" ./internal/cmd/registry)

plugins=${DOCKER_CONFIG:-$HOME/.docker}/cli-plugins
mkdir -p "$plugins"
ln -sf "$BKL_BIN/buildx" "$plugins/docker-buildx"
log "tools ready in $BKL_BIN"
