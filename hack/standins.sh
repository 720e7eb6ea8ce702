#!/usr/bin/env bash
# Builds TEST STAND-INS for every image the frontend's LLB references, and
# pushes them to the loopback registry under the names buildkitd mirrors:
#   lambda/nodejs:20 :22 :24, lambda/python:3.10 to :3.14, lambda/ruby:3.2 to
#     :3.4, lambda/java:8.al2 to :25, lambda/provided:al2023 and :al2 (the same image: a stand-in has
#     no Amazon Linux 2), all linux/amd64 and linux/arm64;
#   library/golang:<host Go version>, library/rust:<Debian trixie's rustc>,
#     library/maven:3.9-amazoncorretto-<Java version> and
#     library/gradle:jdk<Java version> (linux/amd64, the build platform).
# They are Debian bookworm, trixie or sid (the suite with the runtime's
# language version, where one has it) with the AWS images' layout (env, /var/task,
# /lambda-entrypoint.sh, /var/runtime/bootstrap) and the machine's TLS
# bundle, so RUN steps reach npm and the Go module proxy through its proxy.
# None of them is an AWS or Docker image, and their labels say so.
#
# The arm64 roots are unpacked with debootstrap --foreign, which runs
# nothing: no emulator is needed. No RUN step of the frontend or the tests
# runs on arm64; the benchmark's emulated baseline (the expert Dockerfile
# under QEMU) runs node, npm and pip in them, as in AWS's arm64 images.
# Root filesystems are cached under $BKL_HOME/standins; pushes are redone on
# every run because the registry keeps images in memory.
set -euo pipefail
# A failure inside $(rootfs ...) must stop the script, not leave a broken root.
shopt -s inherit_errexit
here=$(cd "$(dirname "$0")" && pwd)
. "$here/versions.sh"
log() { printf '==> %s\n' "$*" >&2; }
# crane reports every blob it pushes; keep that out of the way.
crane() { command crane "$@" 2>>"$BKL_STATE/crane.log"; }

cache=$BKL_HOME/standins
mkdir -p "$cache"
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# Bump when the recipe below changes, so cached roots are rebuilt.
recipe=2
ca_bundle=/etc/ssl/certs/ca-certificates.crt

# rootfs NAME ARCH PACKAGES [SUITE]: a cached tarball of a Debian root
# filesystem, of $DEBIAN_SUITE unless SUITE names another. A package
# named PKG:arm64 is installed beside the amd64 ones (Debian multiarch).
rootfs() {
	local name=$1 arch=$2 packages=$3 suite=${4:-$DEBIAN_SUITE}
	local tar=$cache/$name-$arch-r$recipe.tar
	if [ -s "$tar" ]; then
		echo "$tar"
		return
	fi
	local dir
	dir=$(mktemp -d "$cache/root.XXXX")
	[ -z "$packages" ] && log "debootstrap $name ($arch, $suite)"
	if [ "$arch" = amd64 ] && [ -n "$packages" ]; then
		local base=base
		[ "$suite" = "$DEBIAN_SUITE" ] || base=base-$suite
		tar -C "$dir" -xf "$(rootfs "$base" amd64 "" "$suite")"
		log "apt-get install $packages ($name)"
		local multiarch=
		case $packages in *:arm64*) multiarch="dpkg --add-architecture arm64 &&" ;; esac
		# Java's install scripts run java, which needs /proc.
		mount -t proc proc "$dir/proc"
		local status=0
		# The mirror here may serve sid's Release past its Valid-Until, a
		# week after it was signed; its signature is still checked.
		chroot "$dir" sh -c "$multiarch apt-get -o Acquire::Check-Valid-Until=false update -qq && apt-get install -y -qq --no-install-recommends $packages && apt-get clean" >"$cache/$name-$arch.log" 2>&1 || status=$?
		umount "$dir/proc"
		if [ "$status" != 0 ]; then
			log "apt-get install $packages failed; see $cache/$name-$arch.log"
			return "$status"
		fi
	elif [ "$arch" = amd64 ]; then
		debootstrap --variant=minbase --include=ca-certificates "$suite" "$dir" "$mirror" >"$cache/$name-$arch.log" 2>&1
	else
		# --foreign runs nothing of the foreign architecture: it unpacks the
		# essential packages and downloads the rest, which are unpacked here
		# without their install scripts, so that the files are in place.
		debootstrap --foreign --arch="$arch" --variant=minbase ${packages:+--include="${packages// /,}"} \
			"$suite" "$dir" "$mirror" >"$cache/$name-$arch.log" 2>&1
		for deb in "$dir"/var/cache/apt/archives/*.deb; do
			[ -e "$deb" ] && dpkg-deb -x "$deb" "$dir"
		done
		rm -f "$dir"/var/cache/apt/archives/*.deb
	fi
	rm -rf "$dir"/var/lib/apt/lists/* "$dir"/var/cache/apt/*.bin
	chmod 0755 "$dir" # mktemp made it 0700; / must be searchable by Lambda's user
	tar --numeric-owner -C "$dir" -cf "$tar.tmp" .
	mv "$tar.tmp" "$tar"
	rm -rf "$dir"
	echo "$tar"
}

# npm_tree is npm $NPM_VERSION installed under a prefix, with the host's
# npm: JavaScript alone, the same for every architecture.
npm_tree() {
	local tree=$cache/npm-$NPM_VERSION
	if [ ! -x "$tree/bin/npm" ]; then
		npm install --global --prefix "$tree.tmp" --no-audit --no-fund "npm@$NPM_VERSION" >"$cache/npm.log" 2>&1
		mv "$tree.tmp" "$tree"
	fi
	echo "$tree"
}

# ric_tree ARCH PYTHON is AWS's runtime interface client for Python,
# awslambdaric, with its dependencies, from their wheels for the stand-in's
# Python (like 3.13): what AWS's Python images run as
# /var/runtime/bootstrap.
ric_tree() {
	local arch=$1 python=$2 tree=$cache/awslambdaric-$AWSLAMBDARIC_VERSION-$2-$1
	local machine=${arch/amd64/x86_64}
	machine=${machine/arm64/aarch64}
	if [ ! -d "$tree" ]; then
		python3 -m pip install --quiet --disable-pip-version-check --target "$tree.tmp" --only-binary=:all: \
			--platform "manylinux2014_$machine" --python-version "$python" --implementation cp \
			"awslambdaric==$AWSLAMBDARIC_VERSION" >"$cache/awslambdaric.log" 2>&1
		mv "$tree.tmp" "$tree"
	fi
	echo "$tree"
}

# java_ric_tree is AWS's runtime interface client for Java with its
# dependencies, from Maven Central: what AWS's Java images run as
# /var/runtime/bootstrap. Jars, the same for every architecture (its JNI
# library is in the jar for each).
java_ric_tree() {
	local tree=$cache/java-ric-$JAVA_RIC_VERSION
	if [ ! -d "$tree" ]; then
		mvn -B -q -ntp -Dstyle.color=never -f "$here/standins/java-ric/pom.xml" -Dric.version="$JAVA_RIC_VERSION" \
			-Dmaven.repo.local="$cache/m2" org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
			-DincludeScope=runtime -DoutputDirectory="$tree.tmp" >"$cache/java-ric.log" 2>&1
		mv "$tree.tmp" "$tree"
	fi
	echo "$tree"
}

# overlay FLAVOR ARCH [ROOT [LANGUAGE]]: the Lambda layout on top of the
# root: entrypoint, runtime interface client (for the root's LANGUAGE
# version, like 3.13), task root, TLS bundle, and, for a runtime's ROOT, the
# account of the user Lambda runs functions as.
overlay() {
	local flavor=$1 arch=$2 root=${3:-} language=${4:-} dir
	dir=$(mktemp -d)
	mkdir -p "$dir/var/task" "$dir/var/runtime/lib" "$dir/var/lang/bin" "$dir/opt" "$dir/etc/ssl/certs" "$dir/usr/local"
	install -m 0755 "$here/standins/lambda-entrypoint.sh" "$dir/lambda-entrypoint.sh"
	cp "$ca_bundle" "$dir/etc/ssl/certs/ca-certificates.crt"
	if [ -n "$root" ]; then
		# Lambda's images name uid 993 (sbx_user1051, group 990), so that
		# os.homedir() and getpwuid() work for the function, as the AWS
		# SDK's config loading needs.
		# An arm64 root, unpacked without install scripts, has neither.
		tar -xf "$root" -C "$dir" ./etc/passwd ./etc/group 2>/dev/null || true
		[ -s "$dir/etc/passwd" ] || echo 'root:x:0:0:root:/root:/bin/sh' >"$dir/etc/passwd"
		[ -s "$dir/etc/group" ] || echo 'root:x:0:' >"$dir/etc/group"
		echo 'sbx_user1051:x:993:990::/home/sbx_user1051:/sbin/nologin' >>"$dir/etc/passwd"
		echo 'sbx_user1051:x:990:' >>"$dir/etc/group"
	fi
	case $flavor in
	nodejs)
		cp -a "$(npm_tree)/." "$dir/usr/local/"
		install -m 0644 "$here/standins/ric.js" "$dir/var/runtime/ric.js"
		printf '#!/bin/sh\nexec node /var/runtime/ric.js\n' >"$dir/var/runtime/bootstrap"
		chmod 0755 "$dir/var/runtime/bootstrap"
		;;
	python)
		cp -a "$(ric_tree "$arch" "$language")/." "$dir/var/runtime/"
		printf '#!/bin/sh\nexport PYTHONPATH=/var/runtime${PYTHONPATH:+:$PYTHONPATH}\nexec python3 -m awslambdaric "$_HANDLER"\n' >"$dir/var/runtime/bootstrap"
		chmod 0755 "$dir/var/runtime/bootstrap"
		;;
	ruby)
		install -m 0644 "$here/standins/ric.rb" "$dir/var/runtime/ric.rb"
		printf '#!/bin/sh\nexec ruby /var/runtime/ric.rb\n' >"$dir/var/runtime/bootstrap"
		chmod 0755 "$dir/var/runtime/bootstrap"
		;;
	java)
		cp -a "$(java_ric_tree)/." "$dir/var/runtime/lib/"
		printf '#!/bin/sh\nexec java -XX:+TieredCompilation -XX:TieredStopAtLevel=1 -cp "/var/runtime/lib/*" com.amazonaws.services.lambda.runtime.api.client.AWSLambda "$_HANDLER"\n' >"$dir/var/runtime/bootstrap"
		chmod 0755 "$dir/var/runtime/bootstrap"
		;;
	esac
	case $flavor in
	java | maven | gradle)
		# Java reads its own trust store, not the PEM bundle: the
		# machine's, which has the proxy's CA, replaces Debian's.
		mkdir -p "$dir/etc/ssl/certs/java"
		cp /etc/ssl/certs/java/cacerts "$dir/etc/ssl/certs/java/cacerts"
		;;
	esac
	chmod 0755 "$dir"
	chmod -R a+rX "$dir/var/runtime"
	tar --numeric-owner --owner=0 --group=0 -C "$dir" -cf "$cache/overlay-$flavor-$arch.tar" .
	rm -rf "$dir"
	echo "$cache/overlay-$flavor-$arch.tar"
}

label="com.github.buildkit-lambda.standin=true"
description="org.opencontainers.image.description=TEST STAND-IN built by buildkit-lambda hack/standins.sh from Debian; not an AWS or Docker image"

# lambda_image REPO:TAG ARCH FLAVOR ROOT VERSION [LANGUAGE] pushes one
# single-platform image with the Lambda layout and prints its temporary
# reference.
lambda_image() {
	local ref=$1 arch=$2 flavor=$3 root=$4 version=$5 language=${6:-}
	local tmp=$BKL_REGISTRY/standin-tmp/${ref//[:\/]/-}-$arch
	# AWS's Ruby images find gems in the task root's vendor/bundle and in
	# a layer's ruby/gems, by the Ruby ABI version (3.3.0 for 3.3).
	local env=()
	[ "$flavor" = ruby ] && env=(-e GEM_HOME=/var/runtime
		-e "GEM_PATH=/var/task/vendor/bundle/ruby/$language.0:/opt/ruby/gems/$language.0:/var/runtime:/var/runtime/ruby/$language.0"
		-e RUBYLIB=/var/task:/var/runtime/lib:/opt/ruby/lib)
	crane append --insecure --oci-empty-base -f "$root" -f "$(overlay "$flavor" "$arch" "$root" "$language")" -t "$tmp" >/dev/null
	crane mutate --insecure "$tmp" --set-platform "linux/$arch" \
		-e LANG=en_US.UTF-8 -e TZ=:/etc/localtime \
		-e PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin \
		-e LD_LIBRARY_PATH=/var/lang/lib:/lib64:/usr/lib64:/var/runtime:/var/runtime/lib:/var/task:/var/task/lib:/opt/lib \
		-e LAMBDA_TASK_ROOT=/var/task -e LAMBDA_RUNTIME_DIR=/var/runtime \
		-e NODE_EXTRA_CA_CERTS=$ca_bundle -e SSL_CERT_FILE=$ca_bundle \
		-w /var/task --entrypoint /lambda-entrypoint.sh -l "$label" -l "$description" \
		-l "com.github.buildkit-lambda.standin.version=$version" "${env[@]}" -t "$tmp" >/dev/null
	echo "$tmp"
}

# index REF IMAGE...: tags a multi-platform index of the images as REF.
index() {
	local ref=$1
	shift
	local args=()
	for m in "$@"; do args+=(-m "$m"); done
	crane index append --insecure "${args[@]}" -t "$BKL_REGISTRY/$ref" >/dev/null
	log "pushed $ref"
}

base_amd64=$(rootfs base amd64 "")
base_arm64=$(rootfs base arm64 "")
# The OS-only runtimes carry curl, as AWS's do: a shell bootstrap talks to
# the Runtime API with it.
provided_amd64=$(rootfs provided amd64 "curl")
# The language versions Debian has: Node.js 20 (trixie) and 24 (sid),
# Python 3.11 (bookworm), 3.13 (trixie) and 3.14 (sid). A runtime whose
# version no suite carries gets the nearest (Node.js 22: 20; Python 3.10:
# 3.11; Python 3.12: 3.13), and its label says so. Node.js 20 is the
# oldest Lambda still runs: the AWS SDK for JavaScript needs 20 or later.
node20_amd64=$(rootfs nodejs-trixie amd64 "nodejs npm" trixie)
node24_amd64=$(rootfs nodejs-sid amd64 "nodejs" sid)
# The arm64 roots carry the runtime as AWS's arm64 images do: the checks
# read the Python standard library, and the benchmark's emulated baseline
# runs node, npm and pip.
node20_arm64=$(rootfs nodejs-trixie arm64 "nodejs" trixie)
node24_arm64=$(rootfs nodejs-sid arm64 "nodejs" sid)
python311_amd64=$(rootfs python amd64 "python3 python3-pip")
python311_arm64=$(rootfs python-pip arm64 "python3 python3-pip")
python313_amd64=$(rootfs python-trixie amd64 "python3 python3-pip" trixie)
python313_arm64=$(rootfs python-trixie arm64 "python3 python3-pip" trixie)
python314_amd64=$(rootfs python-sid amd64 "python3 python3-pip" sid)
python314_arm64=$(rootfs python-sid arm64 "python3 python3-pip" sid)
# One Ruby stands in for every Ruby version: Debian trixie's 3.3, with
# Bundler, as AWS's Ruby images carry it.
ruby_amd64=$(rootfs ruby amd64 "ruby bundler" trixie)
# One JDK stands in for every Java version, in the runtimes and in the
# maven images: Debian trixie's OpenJDK 21 and Maven 3.9.
java_amd64=$(rootfs java amd64 "openjdk-21-jdk-headless maven" trixie)

# standin REPO:TAG FLAVOR AMD64_ROOT [ARM64_ROOT]: one runtime's base image,
# for both architectures. The arm64 root is never run; the amd64 root's language version is the Debian suite's, which may not be
# the tag's: the image's label says which version stands in, and the tests
# print it.
standin() {
	local ref=$1 flavor=$2 root=$3 arm64_root=${4:-$base_arm64} version language=
	case $flavor in
	nodejs) version="Node.js $(deb_version "$root" nodejs)" ;;
	python)
		version="Python $(deb_version "$root" python3)"
		# Read from the amd64 root: the arm64 one, never configured, has no
		# dpkg status of its packages.
		language=$(deb_version "$root" python3 | sed 's/^\([0-9]*\.[0-9]*\).*/\1/')
		;;
	ruby)
		language=$(deb_version "$root" ruby | sed 's/^[0-9]*://; s/^\([0-9]*\.[0-9]*\).*/\1/')
		version="Ruby $(deb_version "$root" "ruby$language") (Debian trixie)"
		;;
	java) version="Java $(deb_version "$root" openjdk-21-jdk-headless) (Debian trixie)" ;;
	*) version="none (OS only)" ;;
	esac
	index "lambda/$ref" "$(lambda_image "$ref" amd64 "$flavor" "$root" "$version" "$language")" "$(lambda_image "$ref" arm64 "$flavor" "$arm64_root" "$version" "$language")"
}

# deb_version ROOT PACKAGE is the version of a Debian package in a root
# tarball. awk reads to the end: exiting early would kill tar with SIGPIPE,
# which pipefail makes the script's failure.
deb_version() {
	tar -xOf "$1" ./var/lib/dpkg/status | awk -v p="$2" '$1=="Package:"{on=($2==p)} on&&$1=="Version:"&&!found{print $2; found=1}'
}

# One line per runtime of runtimes/registry.go.
standin nodejs:20 nodejs "$node20_amd64" "$node20_arm64"
standin nodejs:22 nodejs "$node20_amd64" "$node20_arm64"
standin nodejs:24 nodejs "$node24_amd64" "$node24_arm64"
standin python:3.10 python "$python311_amd64" "$python311_arm64"
standin python:3.11 python "$python311_amd64" "$python311_arm64"
standin python:3.12 python "$python313_amd64" "$python313_arm64"
standin python:3.13 python "$python313_amd64" "$python313_arm64"
standin python:3.14 python "$python314_amd64" "$python314_arm64"
standin ruby:3.2 ruby "$ruby_amd64"
standin ruby:3.3 ruby "$ruby_amd64"
standin ruby:3.4 ruby "$ruby_amd64"
standin java:8.al2 java "$java_amd64"
standin java:11 java "$java_amd64"
standin java:17 java "$java_amd64"
standin java:21 java "$java_amd64"
standin java:25 java "$java_amd64"
standin provided:al2 provided "$provided_amd64"
standin provided:al2023 provided "$provided_amd64"

# golang: the machine's own Go toolchain on the Debian root, amd64 only
# (it runs on the build platform and cross-compiles).
goroot=$(go env GOROOT)
gov=$(go env GOVERSION | sed 's/^go//')
gotar=$cache/golang-$gov.tar
if [ ! -s "$gotar" ]; then
	log "packing Go $gov from $goroot"
	tar --numeric-owner --owner=0 --group=0 -C "$goroot" --transform 's,^\.,usr/local/go,' -cf "$gotar.tmp" .
	mv "$gotar.tmp" "$gotar"
fi
tmp=$BKL_REGISTRY/standin-tmp/golang-$gov
crane append --insecure --oci-empty-base -f "$base_amd64" -f "$gotar" -f "$(overlay golang amd64)" -t "$tmp" >/dev/null
crane mutate --insecure "$tmp" --set-platform linux/amd64 \
	-e PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	-e GOLANG_VERSION="$gov" -e GOTOOLCHAIN=local -e GOPATH=/go -e SSL_CERT_FILE=$ca_bundle \
	-w /go -l "$label" -l "$description" -t "$tmp" >/dev/null
for tag in "$gov" "${gov%.*}"; do
	index "library/golang:$tag" "$tmp"
done

# rust: Debian trixie's rustc and cargo (1.85, the newest Debian has), amd64
# only, with the arm64 standard library that rustup target add would
# install in the rust images, and gcc. Without the cross linker, which the
# frontend installs itself, as it would in the real rust images.
rust_amd64=$(rootfs rust amd64 "rustc cargo gcc libc6-dev libstd-rust-dev:arm64" trixie)
rustv=$(deb_version "$rust_amd64" rustc | sed 's/^\([0-9.]*\).*/\1/')
tmp=$BKL_REGISTRY/standin-tmp/rust-$rustv
crane append --insecure --oci-empty-base -f "$rust_amd64" -f "$(overlay rust amd64)" -t "$tmp" >/dev/null
crane mutate --insecure "$tmp" --set-platform linux/amd64 \
	-e PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
	-e RUST_VERSION="$rustv" -e SSL_CERT_FILE=$ca_bundle \
	-l "$label" -l "$description" -l "com.github.buildkit-lambda.standin.version=Rust $rustv (Debian trixie)" -t "$tmp" >/dev/null
for tag in "$rustv" "${rustv%.*}"; do
	index "library/rust:$tag" "$tmp"
done

# java_tool NAME ROOT TOOL_PACKAGE TAG_PREFIX ENV: a Java build tool's
# image (Debian trixie's, on its OpenJDK 21), amd64 only, under the tag of
# each Java version: TAG_PREFIX<version>.
java_tool() {
	local name=$1 root=$2 package=$3 prefix=$4 home=$5 tmp=$BKL_REGISTRY/standin-tmp/$1
	crane append --insecure --oci-empty-base -f "$root" -f "$(overlay "$name" amd64)" -t "$tmp" >/dev/null
	crane mutate --insecure "$tmp" --set-platform linux/amd64 \
		-e PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin \
		-e JAVA_HOME=/usr/lib/jvm/java-21-openjdk-amd64 -e "$home" -e SSL_CERT_FILE=$ca_bundle \
		-l "$label" -l "$description" -t "$tmp" \
		-l "com.github.buildkit-lambda.standin.version=${name^} $(deb_version "$root" "$package"), Java $(deb_version "$root" openjdk-21-jdk-headless) (Debian trixie)" >/dev/null
	for v in 8 11 17 21 25; do
		index "library/$name:$prefix$v" "$tmp"
	done
}

# maven: Maven on the JDK of the Java stand-ins, under the tags of the maven
# images the frontend compiles a Maven project in.
java_tool maven "$java_amd64" maven 3.9-amazoncorretto- MAVEN_HOME=/usr/share/maven
# gradle: Debian trixie's Gradle (4.4.1, the one Debian has; it runs on
# OpenJDK 21 and reads Maven Central), under the tags of the gradle images
# the frontend compiles a Gradle project in when it has no wrapper.
java_tool gradle "$(rootfs gradle amd64 "openjdk-21-jdk-headless gradle" trixie)" gradle jdk GRADLE_HOME=/usr/share/gradle
