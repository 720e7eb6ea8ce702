package llbgen

import (
	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/moby/buildkit/client/llb"
)

const (
	// goModCache is the module cache of the compile stage. It is part of the
	// stage's filesystem, not a cache mount: BuildKit's cache key of the
	// download step does not cover a cache mount's contents, so a build that
	// reused the step with an empty or pruned mount would find no modules.
	goModCache = "/go/pkg/mod"
	// goDownloads is the cache mount that keeps downloaded modules between
	// builds, served to go mod download as a file:// module proxy.
	goDownloads  = "/root/.cache/go-mod-downloads"
	goBuildCache = "/root/.cache/go-build"
	// binDir holds the built bootstrap binary.
	binDir = "/out"
)

// goRecipe builds Go functions.
type goRecipe struct{}

func (goRecipe) manifests(*lambdafile.File) []string { return []string{"go.mod", "go.sum"} }

func (goRecipe) dependencies(*lambdafile.File, map[string][]byte) Dependencies {
	return Dependencies{Manager: "go modules", Lockfile: "go.sum", Locked: true}
}

// compileImage is golang:VERSION on the build platform: go.version, else
// go.mod's toolchain line, else its go line.
func (goRecipe) compileImage(g *gen) (string, error) {
	if !g.hasFile("go.mod") {
		return "", &ContextError{Path: "runtime", Msg: "runtime go needs go.mod at the root of the build context; run go mod init, or build from the module's directory"}
	}
	if g.s.Go.Version != "" {
		return "golang:" + g.s.Go.Version, nil
	}
	v, err := goVersionFromMod(g.opt.Files["go.mod"])
	if err != nil {
		return "", &ContextError{Path: "runtime", Msg: err.Error()}
	}
	return "golang:" + v, nil
}

// build builds a Go function into a static bootstrap binary, cross-compiled
// on the build platform: no emulation is needed for arm64.
func (goRecipe) build(g *gen, compile llb.State) (*layers, error) {
	compile = compile.AddEnv("GOMODCACHE", goModCache).AddEnv("GOCACHE", goBuildCache).AddEnv("GOTOOLCHAIN", "local")
	modules := g.copy(compile, "copy go.mod", g.opt.Context, "/go.mod", buildDir+"/go.mod", nil)
	if g.hasFile("go.sum") {
		modules = g.copy(modules, "copy go.sum", g.opt.Context, "/go.sum", buildDir+"/go.sum", nil)
	}
	downloads := g.cacheMount(goDownloads, "gomod", llb.CacheMountShared)
	downloaded := g.run(modules, step{name: "go mod download", args: shell(goModDownload), declaredAt: "runtime", fetches: true, opts: []llb.RunOption{downloads}}).Root()

	src := g.commands(g.sources(downloaded))
	src = src.AddEnv("CGO_ENABLED", "0").AddEnv("GOOS", "linux").AddEnv("GOARCH", g.target.Architecture)
	build := g.run(src, step{
		name:       "go build " + goPackage(g.s.Go.Main),
		args:       []string{"go", "build", "-trimpath", "-ldflags=-s -w", "-tags", "lambda.norpc", "-o", binDir + "/bootstrap", goPackage(g.s.Go.Main)},
		declaredAt: "go.main",
		secrets:    true,
		opts:       []llb.RunOption{g.cacheMount(goBuildCache, "gobuild", llb.CacheMountShared)},
	})
	return g.bootstrapLayers(build, "go build "+goPackage(g.s.Go.Main)), nil
}

// bootstrapLayers are the layers of a function that is one binary, which
// the build step left in binDir: no dependency layer, and the binary as
// the runtime's bootstrap, made by what says.
func (g *gen) bootstrapLayers(build llb.ExecState, what string) *layers {
	bin := build.AddMount(binDir, llb.Scratch())
	code := g.copy(llb.Scratch(), "bootstrap to "+runtimeDir, bin, "/bootstrap", runtimeDir+"/bootstrap", &llb.CopyInfo{
		Mode: &llb.ChmodOpt{Mode: 0o755}, CreateDestPath: true,
	})
	return &layers{build: bin, depsTree: llb.Scratch(), code: code, codeDescription: "bootstrap: " + what}
}

// goModDownload fills the module cache, fetching what the downloads cache
// mount lacks from the configured proxy, then adds what it fetched to the
// mount for the next build.
const goModDownload = `export GOPROXY="file://` + goDownloads + `,${GOPROXY:-https://proxy.golang.org,direct}" GOFLAGS="-modcacherw $GOFLAGS"
go mod download
cp -Rn ` + goModCache + `/cache/download/. ` + goDownloads + `/ 2>/dev/null || true`

// goPackage makes go.main, a clean relative path, one the go command reads
// as a directory, never as an import path or a flag.
func goPackage(main string) string {
	if main == "." {
		return main
	}
	return "./" + main
}
