package llbgen

import (
	"path"
	"strings"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/moby/buildkit/client/llb"
)

const (
	// mavenRepo is the compile stage's Maven local repository, Maven's
	// default for root. It is part of the stage's filesystem, not a cache
	// mount, for the reason goModCache is: the offline compile that reuses
	// the fetch step must find every artifact there.
	mavenRepo = "/root/.m2/repository"
	// mavenDownloads is the cache mount that keeps downloaded artifacts
	// between builds.
	mavenDownloads = "/root/.cache/maven-downloads"
	// mavenDependencyPlugin copies the runtime dependencies; pinned, since
	// a plugin named without a version is looked up as the newest one,
	// which an offline build cannot do and which changes under the build.
	mavenDependencyPlugin = "org.apache.maven.plugins:maven-dependency-plugin:3.8.1"
	// javaLibDir is the task root's directory of jars, on the runtime's
	// class path.
	javaLibDir = "lib"
)

// mavenFlags are on every Maven command the frontend runs: no prompts,
// no progress or colour in the build log.
var mavenFlags = []string{"-B", "--no-transfer-progress", "-Dstyle.color=never"}

var (
	// mavenFetchGoals resolve what the compile needs and copy the
	// runtime-scope jars into the dependency tree.
	mavenFetchGoals = []string{"compile", mavenDependencyPlugin + ":copy-dependencies",
		"-DincludeScope=runtime", "-DoutputDirectory=" + depsDir + "/" + javaLibDir}
	// mavenCompile compiles the sources with what the fetch resolved.
	mavenCompile = append(append([]string{"mvn", "--offline"}, mavenFlags...), "compile")
)

// javaRecipe builds Java functions with Maven.
type javaRecipe struct{}

// manifests are the project model and Maven's per-project configuration,
// which the dependency fetch reads.
func (javaRecipe) manifests(*lambdafile.File) []string {
	return []string{"pom.xml", ".mvn/maven.config", ".mvn/jvm.config", ".mvn/extensions.xml"}
}

// dependencies: Maven has no lockfile, but pom.xml names exact versions
// and the transitive ones follow from the dependencies' own poms.
func (javaRecipe) dependencies(_ *lambdafile.File, files map[string][]byte) Dependencies {
	if _, ok := files["pom.xml"]; !ok {
		return Dependencies{}
	}
	return Dependencies{Manager: "maven", Lockfile: "pom.xml", Locked: true}
}

// compileImage is Maven on a JDK of the runtime's Java version, run on the
// build platform: bytecode is the same for every architecture.
func (javaRecipe) compileImage(g *gen) (string, error) {
	if !g.hasFile("pom.xml") && len(g.s.Build.Commands) == 0 {
		return "", &ContextError{Path: "runtime", Msg: "runtime " + string(g.s.Runtime) +
			" builds a Maven project and needs pom.xml at the root of the build context; for another build tool (Gradle), set build.commands and build.output, and build.image to an image that has it"}
	}
	return "maven:3.9-amazoncorretto-" + g.info.Version, nil
}

// build lays the function out as AWS's Java images do: runtime-scope
// dependency jars in lib, the dependency layer, and the compiled classes and
// resources at the task root, the code layer, so that a code change ships
// the classes alone.
//
// The fetch step runs on pom.xml alone: Maven compiles nothing, but it
// resolves the compile class path and every plugin the compile uses, and
// copies the runtime jars out. The compile then runs offline. Build
// commands replace the compile; they get the network and the download
// cache as the local repository, since they may run goals the fetch did not
// resolve. A jar in build.output, shaded with its dependencies, ships alone
// in lib.
func (javaRecipe) build(g *gen, compile llb.State) (*layers, error) {
	if !g.hasFile("pom.xml") {
		build, code := g.output(compile, outputOpts{exclude: []string{"target"}})
		return &layers{build: build, code: code}, nil
	}
	manifests := g.copyPresent(compile, (javaRecipe{}).manifests(g.s)...)
	fetch := append(append(append(shell(mavenFetch), "maven-fetch", "mvn"), mavenFlags...), mavenFetchGoals...)
	fetched := g.run(manifests, step{
		name: "mvn dependency:copy-dependencies", args: fetch, declaredAt: "runtime", fetches: true,
		opts: []llb.RunOption{g.cacheMount(mavenDownloads, "maven", llb.CacheMountLocked)},
	})
	depsTree := fetched.AddMount(depsDir, llb.Scratch())

	o := outputOpts{exclude: []string{"target"}}
	if len(g.s.Build.Commands) == 0 {
		o.before = []step{{name: "mvn compile", args: mavenCompile, declaredAt: "runtime", secrets: true}}
	} else {
		o.runOpts = []llb.RunOption{g.cacheMount(mavenRepo, "maven-commands", llb.CacheMountLocked)}
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
		l.depsDescription = "mvn dependency:copy-dependencies -DincludeScope=runtime"
	}
	return l, nil
}

// mavenFetch runs Maven ("$@") on the project model alone, with the
// artifacts of earlier builds from the download cache, then adds what it
// downloaded to the cache. What Maven leaves in target, with no sources,
// goes: the sources' copy must not meet it.
const mavenFetch = `set -e
mkdir -p ` + mavenRepo + `
cp -R ` + mavenDownloads + `/. ` + mavenRepo + `/
"$@"
cp -Rn ` + mavenRepo + `/. ` + mavenDownloads + `/
rm -rf target`
