package llbgen

import (
	"path"
	"strings"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/moby/buildkit/client/llb"
)

// javaLibDir is the task root's directory of jars, on the runtime's class
// path.
const javaLibDir = "lib"

// javaTool is a Java build tool: the files that choose it, the image it
// builds in, and how it fetches the dependencies on the manifests alone,
// then compiles offline into build.output's default, target/classes.
type javaTool struct {
	// name names it in --call outline and in cache mount IDs.
	name string
	// selects are the build files that choose the tool, any of them.
	selects []string
	// manifests are copied before the fetch, when the context has them.
	manifests []string
	// image is the compile stage's image, on the build platform: bytecode
	// is the same for every architecture.
	image func(g *gen) string
	// setup adds what the tool's steps need to the compile stage.
	setup func(g *gen, compile llb.State) llb.State
	// fetch resolves what the compile needs and copies the runtime jars
	// into depsDir/lib, with the network and the download cache.
	fetch []string
	// fetchName names the fetch step, and depsDescription the layer of
	// jars it makes, in the image's history.
	fetchName, depsDescription string
	// compile runs the compile, named compileName.
	compile     []string
	compileName string
	// cache is the download cache mount; repo the tool's own download
	// directory, which build commands get as a cache mount of its own.
	cache, repo string
	// exclude are the tool's output directories, left out of the sources.
	exclude []string
}

// javaTools lists the tools, in the order their files are looked for.
var javaTools = []javaTool{maven, gradle}

// javaToolOf is the tool of a project, the first whose build file the
// context has, and that file; ok is false for none. A project with both a
// pom.xml and a Gradle build builds with Maven.
func javaToolOf(files map[string][]byte) (javaTool, string, bool) {
	for _, t := range javaTools {
		for _, f := range t.selects {
			if _, found := files[f]; found {
				return t, f, true
			}
		}
	}
	return javaTool{}, "", false
}

// javaRecipe builds Java functions with Maven or Gradle.
type javaRecipe struct{}

// manifests are every tool's build files and per-project configuration,
// which the dependency fetch reads.
func (javaRecipe) manifests(*lambdafile.File) []string {
	var files []string
	for _, t := range javaTools {
		files = append(files, t.manifests...)
	}
	return files
}

// dependencies: neither tool has a lockfile, but the build files name
// exact versions and the transitive ones follow from the dependencies'
// own poms.
func (javaRecipe) dependencies(_ *lambdafile.File, files map[string][]byte) Dependencies {
	t, file, ok := javaToolOf(files)
	if !ok {
		return Dependencies{}
	}
	return Dependencies{Manager: t.name, Lockfile: file, Locked: true}
}

// compileImage is the tool's image with a JDK of the runtime's Java
// version.
func (javaRecipe) compileImage(g *gen) (string, error) {
	t, _, ok := javaToolOf(g.opt.Files)
	switch {
	case ok:
		return t.image(g), nil
	case len(g.s.Build.Commands) == 0:
		return "", &ContextError{Path: "runtime", Msg: "runtime " + string(g.s.Runtime) +
			" builds a Maven project (pom.xml) or a Gradle one (build.gradle or build.gradle.kts), and the build context has neither at its root; for another build tool, set build.commands and build.output, and build.image to an image that has it"}
	}
	return maven.image(g), nil
}

// build lays the function out as AWS's Java images do: runtime-scope
// dependency jars in lib, the dependency layer, and the compiled classes and
// resources at the task root, the code layer, so that a code change ships
// the classes alone.
//
// The fetch step runs on the build files alone: the tool compiles nothing,
// but it resolves the compile class path and every plugin the compile
// uses, and copies the runtime jars out. The compile then runs offline.
// Build commands replace the compile; they get the network and the
// download cache as the tool's repository, since they may run goals the
// fetch did not resolve. A jar in build.output, shaded with its
// dependencies, ships alone in lib.
func (javaRecipe) build(g *gen, compile llb.State) (*layers, error) {
	t, _, ok := javaToolOf(g.opt.Files)
	if !ok {
		build, code := g.output(compile, outputOpts{exclude: maven.exclude})
		return &layers{build: build, code: code}, nil
	}
	if t.setup != nil {
		compile = t.setup(g, compile)
	}
	manifests := g.copyPresent(compile, t.manifests...)
	fetched := g.run(manifests, step{
		name: t.fetchName, args: t.fetch, declaredAt: "runtime", fetches: true,
		opts: []llb.RunOption{g.cacheMount(t.cache, t.name, llb.CacheMountLocked)},
	})
	depsTree := fetched.AddMount(depsDir, llb.Scratch())

	o := outputOpts{exclude: t.exclude}
	if len(g.s.Build.Commands) == 0 {
		o.before = []step{{name: t.compileName, args: t.compile, declaredAt: "runtime", secrets: true}}
	} else {
		o.runOpts = []llb.RunOption{g.cacheMount(t.repo, t.name+"-commands", llb.CacheMountLocked)}
	}
	jar := strings.HasSuffix(g.s.Build.Output, ".jar")
	if jar {
		o.into = path.Join(taskRoot, javaLibDir) + "/"
	}
	build, code := g.output(fetched.Root(), o)
	l := &layers{build: build, depsTree: depsTree, code: code}
	if !jar {
		l.deps = g.copy(llb.Scratch(), "dependencies to "+taskRoot+"/"+javaLibDir, depsTree, "/", taskRoot, &llb.CopyInfo{
			Mode: readable, CopyDirContentsOnly: true, CreateDestPath: true,
		})
		l.depsDescription = t.depsDescription
	}
	return l, nil
}
