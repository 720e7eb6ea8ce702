package llbgen

import (
	"fmt"
	"path"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/pythonlock"
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

func (pythonRecipe) manifests(*lambdafile.File) []string { return pythonManifests() }

// compileImage is the base image itself: it has python and pip.
func (pythonRecipe) compileImage(g *gen) (string, error) { return g.info.Base, nil }

func (pythonRecipe) dependencies(s *lambdafile.File, files map[string][]byte) Dependencies {
	src, err := detectPythonSource(files, s.Build.PackageManager)
	if err != nil || src == nil {
		return Dependencies{}
	}
	return Dependencies{Manager: src.manager, Lockfile: src.file, Locked: src.locked, Lock: src.lock}
}

// build builds a Python function: its dependencies are installed with pip
// --target into a directory of their own, the dependency layer. A
// requirements.txt is installed as it is; a lockfile is read into the exact
// list of distributions for this runtime and architecture, installed with
// --no-deps and --require-hashes (see package pythonlock).
func (pythonRecipe) build(g *gen, compile llb.State) (*layers, error) {
	compile = compile.AddEnv("PIP_CACHE_DIR", pipCache).
		AddEnv("PIP_DISABLE_PIP_VERSION_CHECK", "1").
		AddEnv("PIP_ROOT_USER_ACTION", "ignore")
	src, err := detectPythonSource(g.opt.Files, g.s.Build.PackageManager)
	if err != nil {
		return nil, &ContextError{Path: "build.packageManager", Msg: err.Error()}
	}
	if src == nil {
		out, code := g.output(compile, outputOpts{exclude: pythonExclude})
		return &layers{build: out, code: code}, nil
	}
	if src.refused != "" {
		return nil, &ContextError{Path: g.managerChoice(), Msg: src.refused}
	}
	reqFile, withReq, isPackage, err := g.pythonRequirements(compile, src)
	if err != nil {
		return nil, err
	}
	if len(withReq.reqs) == 0 && src.read != nil {
		// pyproject.toml with no dependencies: nothing to install.
		out, code := g.output(compile, outputOpts{before: g.installProject(isPackage), exclude: pythonExclude})
		return &layers{build: out, code: code}, nil
	}
	args := []string{"pip", "install", "--no-compile", "-r", reqFile, "--target", depsDir}
	if src.read != nil && src.locked {
		args = append(args, "--no-deps", "--require-hashes")
	}
	name := "pip install -r " + src.file
	install := g.run(withReq.state, step{
		name: name, args: append(args, g.pipPlatformFlags()...), declaredAt: "runtime", fetches: true,
		opts: []llb.RunOption{g.cacheMount(pipCache, "pip", llb.CacheMountLocked)},
	})
	depsTree := install.AddMount(depsDir, llb.Scratch())

	// Build commands see the dependencies, read-only, on PYTHONPATH.
	out, code := g.output(compile.AddEnv("PYTHONPATH", depsDir), outputOpts{
		runOpts: []llb.RunOption{llb.AddMount(depsDir, depsTree, llb.Readonly)},
		before:  g.installProject(isPackage), exclude: pythonExclude,
	})
	deps := g.copy(llb.Scratch(), "dependencies to "+taskRoot, depsTree, "/", taskRoot, &llb.CopyInfo{
		Mode: readable, CopyDirContentsOnly: true, CreateDestPath: true,
	})
	return &layers{
		build: out, depsTree: depsTree, deps: deps, code: code,
		depsDescription: name,
	}, nil
}

// requirements is the compile stage with the requirements file pip reads.
type requirements struct {
	state llb.State
	reqs  []byte
}

// pythonRequirements puts the file pip installs from into the compile
// stage: requirements.txt as it is, or the list read from a lock, written
// by the frontend so that the step's cache key is the list itself.
func (g *gen) pythonRequirements(compile llb.State, src *pythonSource) (file string, r requirements, isPackage bool, err error) {
	if src.read == nil {
		st := g.copy(compile, "copy "+src.file, g.opt.Context, "/"+src.file, buildDir+"/"+src.file, nil)
		return src.file, requirements{state: st, reqs: g.opt.Files[src.file]}, false, nil
	}
	env := pythonlock.Env{PythonVersion: g.info.Version, Machine: linuxMachine(g.target.Architecture)}
	reqs, isPackage, err := src.read(g.opt.Files, env)
	if err != nil {
		return "", requirements{}, false, &ContextError{Path: "runtime", Msg: err.Error()}
	}
	const generated = "/requirements.lambda.txt"
	listed := llb.Scratch().File(llb.Mkfile(generated, 0o644, reqs), g.stepName(fmt.Sprintf("requirements read from %s", src.file)))
	st := g.copy(compile, "copy "+path.Base(generated), listed, generated, buildDir+generated, nil)
	return buildDir + generated, requirements{state: st, reqs: reqs}, isPackage, nil
}

// installProject installs a project that is a package into the sources'
// root, before the build commands, so that the task root holds it the way
// an installed package is laid out (src/pkg becomes pkg). Its build
// backend comes from the package index, hence the network.
func (g *gen) installProject(isPackage bool) []step {
	if !isPackage {
		return nil
	}
	return []step{{
		name: "pip install the project", args: []string{"pip", "install", "--no-deps", "--no-compile", "--target", ".", "."},
		declaredAt: "runtime", fetches: true,
		opts: []llb.RunOption{g.cacheMount(pipCache, "pip", llb.CacheMountLocked)},
	}}
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
	arch := linuxMachine(g.target.Architecture)
	var flags []string
	for minor := g.info.OS.GlibcMinor(); minor >= 17; minor-- {
		flags = append(flags, "--platform", fmt.Sprintf("manylinux_2_%d_%s", minor, arch))
	}
	flags = append(flags, "--platform", "manylinux2014_"+arch)
	return append(flags, "--implementation", "cp", "--python-version", g.info.Version, "--only-binary=:all:")
}

// linuxMachine is a Go architecture's name in Linux (uname -m), which
// Python's markers and wheel tags use.
func linuxMachine(goarch string) string {
	if goarch == "arm64" {
		return "aarch64"
	}
	return "x86_64"
}
