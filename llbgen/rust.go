package llbgen

import (
	"cmp"
	"strings"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/moby/buildkit/client/llb"
)

const (
	// cargoHome holds the registry and git checkouts cargo fetch fills. It
	// is part of the stage's filesystem, not a cache mount, for the reason
	// goModCache is: the build that reuses the fetch step must find every
	// crate there, and runs with no network.
	cargoHome = "/root/.cargo"
	// cargoDownloads is the cache mount that keeps downloaded crates and
	// the registry index between builds.
	cargoDownloads = "/root/.cache/cargo-downloads"
	// cargoTarget is the cache mount of cargo's target directory, so that
	// a code change recompiles the function's crate and not its
	// dependencies.
	cargoTarget = "/root/.cache/cargo-target"
	// defaultRustVersion is the rust image tag when neither rust.version
	// nor rust-toolchain.toml chooses one.
	defaultRustVersion = "1.85"
)

// rustRecipe builds Rust functions.
type rustRecipe struct{}

func (rustRecipe) manifests(*lambdafile.File) []string {
	return []string{"Cargo.toml", "Cargo.lock", "rust-toolchain.toml"}
}

func (rustRecipe) dependencies(s *lambdafile.File, files map[string][]byte) Dependencies {
	_, locked := files["Cargo.lock"]
	d := Dependencies{Manager: "cargo", Version: rustVersion(s, files), Lockfile: "Cargo.lock", Locked: locked}
	if !locked {
		d.Lockfile, d.Lock = "", "cargo generate-lockfile"
	}
	return d
}

// compileImage is rust:VERSION, run on the build platform.
func (rustRecipe) compileImage(g *gen) (string, error) {
	if !g.hasFile("Cargo.toml") {
		return "", &ContextError{Path: "runtime", Msg: "runtime rust needs Cargo.toml at the root of the build context; run cargo init, or build from the package's directory"}
	}
	return "rust:" + rustVersion(g.s, g.opt.Files), nil
}

// rustVersion is rust.version, else rust-toolchain.toml's channel when it
// is a version number (a channel like "stable" names no version an image
// is tagged with), else the default.
func rustVersion(s *lambdafile.File, files map[string][]byte) string {
	return cmp.Or(s.Rust.Version, toolchainChannel(files["rust-toolchain.toml"]), defaultRustVersion)
}

// build compiles the package's binary on the build platform for the
// target's architecture, and ships it as the bootstrap. Cross-compiling
// takes the target's standard library and a cross linker: see
// rustTargetSetup.
func (rustRecipe) build(g *gen, compile llb.State) (*layers, error) {
	manifest, err := readCargoManifest(g.opt.Files["Cargo.toml"])
	if err != nil {
		return nil, &ContextError{Path: "runtime", Msg: err.Error()}
	}
	if len(manifest.Bin) > 1 && g.s.Rust.Bin == "" {
		return nil, &ContextError{Path: "runtime", Msg: "Cargo.toml has several binaries (" + manifest.binNames() + "); name the one to ship with rust.bin"}
	}
	bin := cmp.Or(g.s.Rust.Bin, manifest.defaultBin())
	if bin == "" {
		return nil, &ContextError{Path: "runtime", Msg: "Cargo.toml is a workspace with no package of its own; name the binary to ship with rust.bin"}
	}
	target := rustTargets[g.target.Architecture]
	compile = compile.AddEnv("CARGO_HOME", cargoHome).AddEnv("CARGO_TARGET_DIR", cargoTarget).
		AddEnv("CARGO_BUILD_TARGET", target.triple).AddEnv("CARGO_TERM_COLOR", "never")
	if g.cross {
		compile = g.rustTargetSetup(compile, target)
	}

	fetchFrom := g.copyCargoManifests(compile, manifest)
	var locked []string
	if g.hasFile("Cargo.lock") {
		locked = []string{"--locked"}
	}
	fetched := g.run(fetchFrom, step{
		name: "cargo fetch", args: append(append(shell(cargoFetch), "cargo-fetch", "cargo", "fetch"), locked...),
		declaredAt: "runtime", fetches: true,
		opts: []llb.RunOption{g.cacheMount(cargoDownloads, "cargo", llb.CacheMountLocked)},
	}).Root()

	src := g.commands(g.sources(fetched, "target"))
	buildArgs := append([]string{"cargo", "build", "--release", "--offline", "--bin", bin}, locked...)
	declaredAt := "runtime"
	if g.s.Rust.Bin != "" {
		declaredAt = "rust.bin"
	}
	build := g.run(src, step{
		name:       "cargo build --release --bin " + bin,
		args:       append(append(shell(cargoBuild), "cargo-build", bin), buildArgs...),
		declaredAt: declaredAt,
		secrets:    true,
		opts:       []llb.RunOption{g.cacheMount(cargoTarget, "cargo-target", llb.CacheMountLocked)},
	})
	return g.bootstrapLayers(build, "cargo build --release --bin "+bin), nil
}

// copyCargoManifests puts what cargo fetch reads on the stage: the
// manifest, lockfile and toolchain file, and an empty src/main.rs, since
// cargo refuses a package with no target even to fetch. A workspace's
// members have manifests of their own, anywhere: for a workspace the
// sources are copied whole, and a source change fetches again, from the
// download cache.
func (g *gen) copyCargoManifests(st llb.State, m cargoManifest) llb.State {
	if m.Workspace != nil {
		return g.sources(st, "target")
	}
	st = g.copyPresent(st, (rustRecipe{}).manifests(g.s)...)
	return st.File(llb.Mkdir(buildDir+"/src", 0o755, llb.WithParents(true)).
		Mkfile(buildDir+"/src/main.rs", 0o644, nil), llb.WithCustomName("["+string(g.s.Runtime)+"] stand-in src/main.rs for cargo fetch"))
}

// cargoFetch runs cargo fetch ("$@") with the crates and index of earlier
// builds from the download cache, then adds what it fetched to the cache.
// Only .crate files and the index are kept: the unpacked sources are
// remade from them.
const cargoFetch = `set -e
mkdir -p "$CARGO_HOME/registry" "$CARGO_HOME/git"
for d in registry/index registry/cache git/db; do
	[ -d "` + cargoDownloads + `/$d" ] && mkdir -p "$CARGO_HOME/$d" && cp -R "` + cargoDownloads + `/$d/." "$CARGO_HOME/$d/"
done
"$@"
for d in registry/index registry/cache git/db; do
	[ -d "$CARGO_HOME/$d" ] && mkdir -p "` + cargoDownloads + `/$d" && cp -R "$CARGO_HOME/$d/." "` + cargoDownloads + `/$d/"
done
true`

// cargoBuild runs cargo build ("$@" after the binary's name, $1) and
// copies the binary out of the target directory's cache mount, which the
// step's output does not hold. The name reaches the script as an argument,
// never as script text, and rust.bin only takes Cargo's name characters.
const cargoBuild = `set -e
bin=$1
shift
"$@"
cp "$CARGO_TARGET_DIR/$CARGO_BUILD_TARGET/release/$bin" ` + binDir + `/bootstrap`

// rustTarget is how to build for one Lambda architecture.
type rustTarget struct {
	// triple is Rust's target.
	triple string
	// linker is the cross C compiler cargo links with, and packages are
	// the Debian packages that have it and the target's C library.
	linker   string
	packages string
}

// rustTargets are the targets of the Lambda architectures, by GOARCH.
var rustTargets = map[string]rustTarget{
	"amd64": {triple: "x86_64-unknown-linux-gnu", linker: "x86_64-linux-gnu-gcc", packages: "gcc-x86-64-linux-gnu libc6-dev-amd64-cross"},
	"arm64": {triple: "aarch64-unknown-linux-gnu", linker: "aarch64-linux-gnu-gcc", packages: "gcc-aarch64-linux-gnu libc6-dev-arm64-cross"},
}

// rustTargetSetup prepares the compile stage to build for another
// architecture than its own, with no emulation: the target's standard
// library from rustup, and Debian's cross gcc as the linker, the way
// tonistiigi/xx cross-compiles in Dockerfiles. A cross gcc links against a
// glibc as new as the compile image's Debian; preflight checks that the
// binary asks for none newer than Lambda's. zig (cargo-zigbuild) could
// target an older glibc, but it is not packaged where Debian is.
func (g *gen) rustTargetSetup(st llb.State, t rustTarget) llb.State {
	upper := strings.ToUpper(strings.ReplaceAll(t.triple, "-", "_"))
	st = st.AddEnv("RUST_TARGET", t.triple).AddEnv("CROSS_LINKER", t.linker).AddEnv("CROSS_PACKAGES", t.packages).
		AddEnv("CARGO_TARGET_"+upper+"_LINKER", t.linker).
		AddEnv("CC_"+strings.ReplaceAll(t.triple, "-", "_"), t.linker)
	return g.run(st, step{
		name: "cross toolchain for " + t.triple, args: shell(rustCrossSetup), declaredAt: "architecture", fetches: true,
		opts: []llb.RunOption{
			g.cacheMount("/var/cache/apt", "apt-cache", llb.CacheMountLocked),
			g.cacheMount("/var/lib/apt/lists", "apt-lists", llb.CacheMountLocked),
		},
	}).Root()
}

// rustCrossSetup adds the target to rustup, when the image has rustup
// (the rust images do; Debian's rustc has the targets its libstd-rust-dev
// packages installed), and installs the cross linker when missing. The
// values are the frontend's own, from rustTargets.
const rustCrossSetup = `set -e
if command -v rustup >/dev/null 2>&1; then rustup target add "$RUST_TARGET"; fi
if ! command -v "$CROSS_LINKER" >/dev/null 2>&1; then
	rm -f /etc/apt/apt.conf.d/docker-clean
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends $CROSS_PACKAGES
fi`
