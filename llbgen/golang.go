package llbgen

import (
	"strings"

	"github.com/moby/buildkit/client/llb"
)

const (
	goModCache   = "/go/pkg/mod"
	goBuildCache = "/root/.cache/go-build"
	// binDir holds the built bootstrap binary.
	binDir = "/out"
)

// golang builds a Go function into a static bootstrap binary, cross-compiled
// on the build platform: no emulation is needed for arm64.
func (g *gen) golang(compile llb.State) (*layers, error) {
	if !g.hasFile("go.mod") {
		return nil, &ContextError{Path: "runtime", Msg: "runtime go needs go.mod at the root of the build context; run go mod init, or build from the module's directory"}
	}
	compile = compile.AddEnv("GOMODCACHE", goModCache).AddEnv("GOCACHE", goBuildCache).AddEnv("GOTOOLCHAIN", "local")
	modules := g.copy(compile, "copy go.mod", g.opt.Context, "/go.mod", buildDir+"/go.mod", nil)
	if g.hasFile("go.sum") {
		modules = g.copy(modules, "copy go.sum", g.opt.Context, "/go.sum", buildDir+"/go.sum", nil)
	}
	modCache := g.cacheMount(goModCache, "gomod", llb.CacheMountShared)
	downloaded := g.run(modules, step{name: "go mod download", script: "go mod download", declaredAt: "runtime", fetches: true, opts: []llb.RunOption{modCache}}).Root()

	src := g.commands(g.sources(downloaded), modCache)
	src = src.AddEnv("CGO_ENABLED", "0").AddEnv("GOOS", "linux").AddEnv("GOARCH", g.target.Architecture)
	build := g.run(src, step{
		name:       "go build " + g.s.Go.Main,
		script:     "go build -trimpath -ldflags='-s -w' -tags lambda.norpc -o " + binDir + "/bootstrap " + goPackage(g.s.Go.Main),
		declaredAt: "go.main",
		secrets:    true,
		opts:       []llb.RunOption{modCache, g.cacheMount(goBuildCache, "gobuild", llb.CacheMountShared)},
	})
	bin := build.AddMount(binDir, llb.Scratch())
	code := g.copy(llb.Scratch(), "bootstrap to "+runtimeDir, bin, "/bootstrap", runtimeDir+"/bootstrap", &llb.CopyInfo{
		Mode: &llb.ChmodOpt{Mode: 0o755}, CreateDestPath: true,
	})
	return &layers{build: bin, depsTree: llb.Scratch(), code: code}, nil
}

// goPackage makes a relative package path one the go command reads as a
// directory, not an import path.
func goPackage(main string) string {
	if main == "." || strings.HasPrefix(main, "./") {
		return main
	}
	return "./" + main
}
