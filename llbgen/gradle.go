package llbgen

import (
	"regexp"

	"github.com/moby/buildkit/client/llb"
)

const (
	// gradleHome is Gradle's user home in the compile stage. Like Maven's
	// repository, it is part of the stage's filesystem, so that the
	// offline compile finds what the fetch resolved.
	gradleHome = "/root/.gradle"
	// gradleDownloads is the cache mount that keeps Gradle's downloaded
	// modules between builds.
	gradleDownloads = "/root/.cache/gradle-downloads"
	// gradleInit is the frontend's init script, with the tasks it runs.
	gradleInit = "/opt/buildkit-lambda/lambda.gradle"
)

// gradleFlags are on every Gradle command the frontend runs: no daemon to
// outlive the step, plain output in the build log, and the frontend's
// tasks.
var gradleFlags = []string{"--no-daemon", "--console=plain", "--init-script", gradleInit}

// gradle builds build.gradle or build.gradle.kts in Gradle's image,
// gradle:<version>-jdk<Java version>, the version the project's wrapper
// names, else the image's newest for that JDK. The wrapper itself is not
// run: it would download that same Gradle at every cold build. The
// frontend's init script adds the tasks that fetch and lay out the
// function.
var gradle = javaTool{
	name:    "gradle",
	selects: []string{"build.gradle", "build.gradle.kts"},
	manifests: []string{"settings.gradle", "settings.gradle.kts", "build.gradle", "build.gradle.kts", "gradle.properties",
		"gradle/libs.versions.toml", "gradle/wrapper/gradle-wrapper.properties"},
	image: func(g *gen) string {
		if v := gradleWrapperVersion(g.opt.Files["gradle/wrapper/gradle-wrapper.properties"]); v != "" {
			return "gradle:" + v + "-jdk" + g.info.Version
		}
		return "gradle:jdk" + g.info.Version
	},
	setup: func(g *gen, compile llb.State) llb.State {
		return compile.AddEnv("GRADLE_USER_HOME", gradleHome).File(
			llb.Mkdir("/opt/buildkit-lambda", 0o755, llb.WithParents(true)).Mkfile(gradleInit, 0o644, []byte(gradleInitScript)),
			g.stepName("the frontend's Gradle tasks"))
	},
	fetch:     append(append(append(shell(gradleFetch), "gradle-fetch", "gradle"), gradleFlags...), "lambdaDependencies"),
	fetchName: "gradle lambdaDependencies", depsDescription: "gradle lambdaDependencies (the runtime class path)",
	compile: append(append([]string{"gradle", "--offline"}, gradleFlags...), "lambdaClasses"), compileName: "gradle classes",
	cache: gradleDownloads, repo: gradleHome,
	exclude: []string{"build", ".gradle", "target"},
}

// gradleWrapperDist is the version in a wrapper's distributionUrl, like
// 8.10.2 in .../gradle-8.10.2-bin.zip.
var gradleWrapperDist = regexp.MustCompile(`(?m)^distributionUrl=.*/gradle-([0-9]+(?:\.[0-9]+)*(?:-rc-[0-9]+)?)-(?:bin|all)\.zip\s*$`)

// gradleWrapperVersion is the Gradle version a wrapper's properties name,
// or "" when they name none the frontend can read.
func gradleWrapperVersion(props []byte) string {
	if m := gradleWrapperDist.FindSubmatch(props); m != nil {
		return string(m[1])
	}
	return ""
}

// gradleFetch runs Gradle ("$@") on the build files alone, with the modules
// of earlier builds from the download cache, then puts back what it knows
// now, its indexes with it, each copy keeping the files' times and modes,
// the directory as Gradle left it. What Gradle leaves in the project, with
// no sources, goes: the sources' copy must not meet it.
const gradleFetch = `set -e
mkdir -p ` + gradleHome + `/caches/modules-2
cp -a ` + gradleDownloads + `/. ` + gradleHome + `/caches/modules-2/
"$@"
cp -a ` + gradleHome + `/caches/modules-2/. ` + gradleDownloads + `/
rm -rf build .gradle`

// gradleInitScript adds the frontend's tasks to the root project, in
// Groovy that Gradle 4 to 9 read: lambdaDependencies resolves the compile
// class path (and annotation processors) and copies the runtime class
// path's jars into the dependency tree; lambdaClasses compiles and gathers
// the main source set's classes and resources into target/classes, the
// Java family's build.output.
const gradleInitScript = `// Added by buildkit-lambda for the build; not part of the project.
rootProject { p ->
    p.afterEvaluate {
        if (!p.plugins.hasPlugin('java')) {
            throw new GradleException("buildkit-lambda builds a Gradle project that applies the java plugin: add plugins { id 'java' } to the root project's build file")
        }
        def resolve = p.tasks.create('lambdaResolve') {
            doLast {
                ['compileClasspath', 'annotationProcessor'].each { name ->
                    def c = p.configurations.findByName(name)
                    if (c != null && c.canBeResolved) {
                        c.resolve()
                    }
                }
            }
        }
        p.tasks.create('lambdaDependencies', Copy) {
            dependsOn resolve
            from p.configurations.runtimeClasspath
            into '` + depsDir + `/` + javaLibDir + `'
        }
        p.tasks.create('lambdaClasses', Sync) {
            from p.sourceSets.main.output
            into p.file('target/classes')
        }
    }
}
`
