package llbgen

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

// maven builds pom.xml in Maven's image, maven:3.9-amazoncorretto-<Java
// version>. The fetch runs Maven's own compile goals on the project model
// alone, which resolves the compile class path and the plugins, and
// copies the runtime-scope jars out.
var maven = javaTool{
	name:      "maven",
	selects:   []string{"pom.xml"},
	manifests: []string{"pom.xml", ".mvn/maven.config", ".mvn/jvm.config", ".mvn/extensions.xml"},
	image:     func(g *gen) string { return "maven:3.9-amazoncorretto-" + g.info.Version },
	fetch:     append(append(append(shell(mavenFetch), "maven-fetch", "mvn"), mavenFlags...), mavenFetchGoals...),
	fetchName: "mvn dependency:copy-dependencies", depsDescription: "mvn dependency:copy-dependencies -DincludeScope=runtime",
	compile: mavenCompile, compileName: "mvn compile",
	cache: mavenDownloads, repo: mavenRepo,
	exclude: []string{"target"},
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
