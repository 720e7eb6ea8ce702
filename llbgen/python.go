package llbgen

import (
	"fmt"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/moby/buildkit/client/llb"
)

const (
	pipCache = "/root/.cache/pip"
	// depsDir is where pip installs the production dependencies.
	depsDir = "/deps"
)

// pythonExclude are what a local Python setup leaves in the sources.
var pythonExclude = []string{"__pycache__", "**/__pycache__", "*.pyc", ".venv", "venv"}

// pythonRecipe builds Python functions.
type pythonRecipe struct{}

func (pythonRecipe) manifests(*lambdafile.File) []string { return []string{"requirements.txt"} }

// compileImage is the base image itself: it has python and pip.
func (pythonRecipe) compileImage(g *gen) (string, error) { return g.info.Base, nil }

// build builds a Python function: requirements.txt is installed with
// --target into a directory of its own, which becomes the dependency layer.
func (pythonRecipe) build(g *gen, compile llb.State) (*layers, error) {
	compile = compile.AddEnv("PIP_CACHE_DIR", pipCache).
		AddEnv("PIP_DISABLE_PIP_VERSION_CHECK", "1").
		AddEnv("PIP_ROOT_USER_ACTION", "ignore")
	if !g.hasFile("requirements.txt") {
		out, code := g.output(compile, nil, "", pythonExclude...)
		return &layers{build: out, code: code, codeDescription: "code: " + g.s.Build.Output}, nil
	}
	withReq := g.copy(compile, "copy requirements.txt", g.opt.Context, "/requirements.txt", buildDir+"/requirements.txt", nil)
	install := g.run(withReq, step{
		name:       "pip install -r requirements.txt",
		args:       append([]string{"pip", "install", "--no-compile", "-r", "requirements.txt", "--target", depsDir}, g.pipPlatformFlags()...),
		declaredAt: "runtime", fetches: true,
		opts: []llb.RunOption{g.cacheMount(pipCache, "pip", llb.CacheMountLocked)},
	})
	depsTree := install.AddMount(depsDir, llb.Scratch())

	// Build commands see the dependencies, read-only, on PYTHONPATH.
	out, code := g.output(compile.AddEnv("PYTHONPATH", depsDir), []llb.RunOption{llb.AddMount(depsDir, depsTree, llb.Readonly)}, "", pythonExclude...)
	deps := g.copy(llb.Scratch(), "dependencies to "+taskRoot, depsTree, "/", taskRoot, &llb.CopyInfo{
		Mode: readable, CopyDirContentsOnly: true, CreateDestPath: true,
	})
	return &layers{
		build: out, depsTree: depsTree, deps: deps, code: code,
		depsDescription: "pip install -r requirements.txt", codeDescription: "code: " + g.s.Build.Output,
	}, nil
}

// pipPlatformFlags makes pip fetch wheels built for the target platform when
// it differs from the one pip runs on. Only wheels can be trusted to be for
// the right platform, so source distributions are refused; build.emulate
// is the way out for packages that have no wheel. pip takes the platform
// tags as given, without adding older ones, so every manylinux tag up to
// the runtime's glibc is listed: 2.34 on Amazon Linux 2023, 2.26 on Amazon
// Linux 2, where a manylinux_2_28 wheel would fail to load.
func (g *gen) pipPlatformFlags() []string {
	if !g.cross {
		return nil
	}
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[g.target.Architecture]
	var flags []string
	for minor := g.info.OS.GlibcMinor(); minor >= 17; minor-- {
		flags = append(flags, "--platform", fmt.Sprintf("manylinux_2_%d_%s", minor, arch))
	}
	flags = append(flags, "--platform", "manylinux2014_"+arch)
	return append(flags, "--implementation", "cp", "--python-version", g.info.Version, "--only-binary=:all:")
}
