package llbgen

import (
	"github.com/moby/buildkit/client/llb"
)

const (
	pipCache = "/root/.cache/pip"
	// depsDir is where pip installs the production dependencies.
	depsDir = "/deps"
)

// pythonExclude are what a local Python setup leaves in the sources.
var pythonExclude = []string{"__pycache__", "**/__pycache__", "*.pyc", ".venv", "venv"}

// python builds a Python function: requirements.txt is installed with
// --target into a directory of its own, which becomes the dependency layer.
func (g *gen) python(compile llb.State) (*layers, error) {
	compile = compile.AddEnv("PIP_CACHE_DIR", pipCache).
		AddEnv("PIP_DISABLE_PIP_VERSION_CHECK", "1").
		AddEnv("PIP_ROOT_USER_ACTION", "ignore")
	if !g.hasFile("requirements.txt") {
		out, code := g.output(compile, nil, "", pythonExclude...)
		return &layers{build: out, code: code}, nil
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
		depsDescription: "pip install -r requirements.txt",
	}, nil
}

// pipPlatformFlags makes pip fetch wheels built for the target platform when
// it differs from the one pip runs on. Only wheels can be trusted to be for
// the right platform, so sources distributions are refused; build.emulate
// is the way out for packages that have no wheel. The manylinux tags go up
// to glibc 2.34, Amazon Linux 2023's.
func (g *gen) pipPlatformFlags() []string {
	if !g.cross {
		return nil
	}
	arch := map[string]string{"amd64": "x86_64", "arm64": "aarch64"}[g.target.Architecture]
	var flags []string
	for _, tag := range []string{"manylinux_2_34", "manylinux_2_28", "manylinux_2_17", "manylinux2014"} {
		flags = append(flags, "--platform", tag+"_"+arch)
	}
	return append(flags, "--implementation", "cp", "--python-version", pythonVersion(g.s.Runtime), "--only-binary=:all:")
}
