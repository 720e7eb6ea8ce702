package llbgen

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/internal/golden"
)

// TestREADMEPackageManagers keeps the README's package-manager table the
// recipes' own: nodeManagers, pythonSources, the Maven goals and Bundler's
// settings. go test ./llbgen -update
// rewrites it.
func TestREADMEPackageManagers(t *testing.T) {
	code := func(args []string) string { return "`" + strings.Join(args, " ") + "`" }
	var b strings.Builder
	b.WriteString("| family | manager | chosen by | version | installs for the build | installs for the image | cache mount |\n| --- | --- | --- | --- | --- | --- | --- |\n")
	for _, m := range append(slices.Clone(nodeManagers), npmUnlocked) {
		chosen := "no lockfile beside `package.json` (a warning)"
		if len(m.lockfiles) > 0 {
			chosen = "`" + strings.Join(m.lockfiles, "` or `") + "`"
		}
		if m.name == "yarn" || m.name == "yarn-berry" {
			chosen += map[string]string{"yarn": " of yarn 1", "yarn-berry": " of yarn 2+"}[m.name]
		}
		version := "the image's"
		if m.version != "" {
			version = m.version
		}
		fmt.Fprintf(&b, "| Node.js | %s | %s | %s | %s | %s | `%s` |\n", m.name, chosen, version, code(m.all), code(m.prod), m.cache)
	}
	for _, src := range pythonSources {
		how := "pip installs the file"
		switch {
		case src.refused != "":
			how = "an error: " + src.refused
		case src.read == nil:
		case src.locked:
			how = "the lock, read for the runtime: `pip install --no-deps --require-hashes`"
		default:
			how = "its dependencies, unpinned (a warning)"
		}
		fmt.Fprintf(&b, "| Python | %s | `%s` | the image's pip | | %s | `%s` |\n", src.manager, src.file, how, pipCache)
	}
	fmt.Fprintf(&b, "| Java | maven | `pom.xml` | the image's | `mvn %s` on `pom.xml` alone, then %s | the runtime-scope jars, into `/var/task/lib` | `%s` (copied into the compile stage) |\n",
		strings.Join(mavenFetchGoals, " "), code(mavenCompile), mavenDownloads)
	fmt.Fprintf(&b, "| Java | gradle | `build.gradle` or `build.gradle.kts` (a `pom.xml` beside it wins) | the wrapper's (`gradle/wrapper/gradle-wrapper.properties`), else the image's | `gradle lambdaDependencies` on the build files alone, then %s (tasks of the frontend's init script) | the runtime class path's jars, into `/var/task/lib` | `%s` (copied into the compile stage) |\n",
		code(gradle.compile), gradleDownloads)
	fmt.Fprintf(&b, "| Go | go modules | `go.mod` and `go.sum` | `go.version`, else `go.mod`'s toolchain line, else its go line (the `golang` image) | `go mod download` on `go.mod` and `go.sum` alone, then `go build` offline | the one binary, `/var/runtime/bootstrap` | `%s` (served as a `file://` proxy), and `%s` |\n",
		goDownloads, goBuildCache)
	fmt.Fprintf(&b, "| Rust | cargo | `Cargo.toml` and `Cargo.lock` | `rust.version`, else `rust-toolchain.toml`'s channel, else %s (the `rust` image) | `cargo fetch --locked` on the manifests alone, then `cargo build --release --offline --locked` | the one binary, `/var/runtime/bootstrap` | `%s` (copied into the compile stage), and `%s` |\n",
		defaultRustVersion, cargoDownloads, cargoTarget)
	fmt.Fprintf(&b, "| Ruby | bundler | `Gemfile` and `Gemfile.lock`; `Gemfile` alone installs unlocked (a warning) | the image's | | `bundle install` with `BUNDLE_DEPLOYMENT=true` (the lock as it is), `BUNDLE_WITHOUT=%s`, `BUNDLE_PATH=%s`: the gems, into `/var/task/%s` | `%s` |\n",
		bundleEnv["BUNDLE_WITHOUT"], bundleEnv["BUNDLE_PATH"], bundlePath, bundleCache)
	golden.CheckSection(t, "../README.md", "<!-- package managers: generated from llbgen by go test ./llbgen -update -->", "<!-- end of package managers -->", []byte(b.String()))
}
