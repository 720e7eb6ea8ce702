package e2e

import (
	"cmp"
	"fmt"
	"maps"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// matrixCase is one function built for both architectures: its image is
// read back and checked, and the amd64 one invoked.
type matrixCase struct {
	name string
	// dir is the project; runtime, when set, replaces the runtime line of
	// its lambda.yaml; file, when set, is the lambda.yaml's path in dir.
	dir, runtime, file string
	flags              []string
	// present and absent are paths in the layers the frontend adds.
	present, absent []string
	// native lists directories of the task root whose .so and .node files
	// must all be for the image's architecture, and that must hold at
	// least one.
	native []string
	// executables are files that must be programs of the image's
	// architecture.
	executables []string
	// layers counts the layers the frontend adds to the base: 2 (the
	// dependencies, then the code) unless set.
	layers int
	// warning must appear in the build output.
	warning string
	event   string
	want    map[string]any
}

func pythonProject(name string) string { return filepath.Join("testdata", name) }

var matrix = []matrixCase{
	// Every Python runtime with requirements.txt, from the loopback index.
	{name: "python3.10", dir: examplePath("python"), runtime: "python3.10", flags: pipSecret(),
		present: []string{"var/task/humanize/__init__.py"}, event: `{"name":"Ada","bytes":3000000}`, want: map[string]any{"size": "3.0 MB"}},
	{name: "python3.11", dir: examplePath("python"), runtime: "python3.11", flags: pipSecret(),
		present: []string{"var/task/humanize/__init__.py"}, event: `{"name":"Ada","bytes":3000000}`, want: map[string]any{"size": "3.0 MB"}},
	{name: "python3.13", dir: examplePath("python"), runtime: "python3.13", flags: pipSecret(),
		present: []string{"var/task/humanize/__init__.py"}, event: `{"name":"Ada","bytes":3000000}`, want: map[string]any{"size": "3.0 MB"}},
	{name: "python3.14", dir: examplePath("python"), runtime: "python3.14", flags: pipSecret(),
		present: []string{"var/task/humanize/__init__.py"}, event: `{"name":"Ada","bytes":3000000}`, want: map[string]any{"size": "3.0 MB"}},
	// Each way of declaring Python dependencies, with real packages from
	// PyPI: orjson is native code, iniconfig a dev dependency.
	{name: "uv", dir: pythonProject("python-uv"),
		present: []string{"var/task/app.py", "var/task/humanize/__init__.py"}, absent: []string{"var/task/iniconfig", "var/task/uv.lock", "var/task/pyproject.toml"},
		native: []string{"var/task/orjson"}, event: `{"bytes":3000000}`, want: map[string]any{"size": "3.0 MB"}},
	{name: "poetry", dir: pythonProject("python-poetry"),
		present: []string{"var/task/app.py", "var/task/humanize/__init__.py"}, absent: []string{"var/task/iniconfig", "var/task/poetry.lock"},
		native: []string{"var/task/orjson"}, event: `{"bytes":3000000}`, want: map[string]any{"size": "3.0 MB"}},
	{name: "pipenv", dir: pythonProject("python-pipenv"),
		present: []string{"var/task/app.py", "var/task/humanize/__init__.py"}, absent: []string{"var/task/iniconfig", "var/task/Pipfile.lock", "var/task/Pipfile"},
		native: []string{"var/task/orjson"}, event: `{"bytes":3000000}`, want: map[string]any{"size": "3.0 MB"}},
	// A project that is itself a package (src layout, hatchling): the
	// build installs it into the task root, where the handler imports it.
	{name: "uv package", dir: pythonProject("python-uv-package"),
		present: []string{"var/task/greetpkg/app.py", "var/task/humanize/__init__.py"}, absent: []string{"var/task/uv.lock", "var/task/pyproject.toml"},
		event: `{"bytes":3000000}`, want: map[string]any{"size": "3.0 MB", "package": "greetpkg"}},
	{name: "pyproject without a lock", dir: pythonProject("python-pyproject"), warning: "UnlockedDependencies",
		present: []string{"var/task/app.py", "var/task/humanize/__init__.py"}, absent: []string{"var/task/pyproject.toml"},
		native: []string{"var/task/orjson"}, event: `{"bytes":3000000}`, want: map[string]any{"size": "3.0 MB"}},
	// Each Node.js package manager, with a native package that ships one
	// package per platform (@node-rs/xxhash) and a dev dependency
	// (is-number) that must stay out.
	nodeManagerCase("npm", ""),
	nodeManagerCase("pnpm", ""),
	nodeManagerCase("yarn", ""),
	nodeManagerCase("yarn-berry", ""),
	nodeManagerCase("bun", ""),
	nodeManagerCase("unlocked", "UnlockedDependencies"),
	// Two functions of one npm workspaces monorepo, built from its root,
	// sharing a workspace library: each ships its own closure alone.
	// orders depends on an ms that conflicts with the library's, which
	// npm leaves in services/orders/node_modules: each must resolve its
	// own version.
	monorepoCase("monorepo", "orders", "is-odd").withOwnMs(),
	monorepoCase("monorepo", "users", "is-number/index.js"),
	// The same with pnpm workspaces, whose closures are told apart by
	// isarray (orders) and is-odd (users); pnpm deploy fetches the
	// target's build of orders' native @node-rs/xxhash.
	monorepoCase("monorepo-pnpm", "orders", "is-odd").withNative("var/task/node_modules/@node-rs"),
	monorepoCase("monorepo-pnpm", "users", "isarray"),
	// And with yarn 2+'s workspaces (node-modules linker), orders' ms
	// left in its own node_modules as npm does.
	monorepoCase("monorepo-yarn", "orders", "is-odd").withOwnMs(),
	monorepoCase("monorepo-yarn", "users", "isarray"),
	// Every Node.js runtime with npm.
	{name: "nodejs20", dir: examplePath("nodejs"), runtime: "nodejs20", warning: "DeprecatedRuntime",
		present: []string{"var/task/app.js", "var/task/node_modules/ms/index.js"}, absent: []string{"var/task/node_modules/typescript"},
		event: `{"name":"Ada","uptimeMs":7200000}`, want: map[string]any{"uptime": "2 hours"}},
	{name: "nodejs24", dir: examplePath("nodejs"), runtime: "nodejs24",
		present: []string{"var/task/app.js", "var/task/node_modules/ms/index.js"}, absent: []string{"var/task/node_modules/typescript"},
		event: `{"name":"Ada","uptimeMs":7200000}`, want: map[string]any{"uptime": "2 hours"}},
	// Java on Amazon Linux 2, shipped as one shaded jar that build
	// commands make with maven-shade-plugin: it goes into lib, alone.
	{name: "java17 shaded jar", dir: filepath.Join("testdata", "java-shaded"), layers: 1, warning: "DeprecatedRuntime",
		present: []string{"var/task/lib/function.jar"}, absent: []string{"var/task/example", "var/task/lib/commons-text-1.14.0.jar", "var/task/src"},
		event: `{"name":"ada lovelace"}`, want: map[string]any{"message": "Hello, Ada Lovelace!"}},
	// Java built with Gradle: the runtime class path's jars in lib, the
	// classes and resources at the task root; the compile-only and
	// test dependencies stay out.
	{name: "java17 gradle", dir: filepath.Join("testdata", "java-gradle"), warning: "DeprecatedRuntime",
		present: []string{"var/task/example/Handler.class", "var/task/greeter.properties", "var/task/lib/commons-text-1.14.0.jar",
			"var/task/lib/commons-lang3-3.18.0.jar", "var/task/lib/aws-lambda-java-core-1.4.0.jar"},
		absent: []string{"var/task/lib/aws-lambda-java-events-3.16.1.jar", "var/task/lib/junit-jupiter-5.14.4.jar", "var/task/src",
			"var/task/build.gradle", "var/task/settings.gradle", "var/task/target", "var/task/build"},
		event: `{"name":"ada lovelace"}`, want: map[string]any{"message": "Hello, Ada Lovelace!"}},
	// The Ruby runtimes examples/ruby (ruby3.3) is not on, with its gems
	// from the loopback gem source; one Ruby, 3.3, stands in for all.
	rubyCase("ruby3.2", "DeprecatedRuntime"),
	rubyCase("ruby3.4", ""),
	// The older OS-only runtime; examples/custom is on provided.al2023.
	{name: "provided.al2", dir: examplePath("custom"), runtime: "provided.al2", layers: 1, warning: "DeprecatedRuntime",
		present: []string{"var/task/bootstrap", "var/task/function.sh"},
		event:   `{"name":"Ada"}`, want: map[string]any{"message": "Hello, Ada!"}},
}

func nodeManagerCase(manager, warning string) matrixCase {
	return matrixCase{
		name: "node-" + manager, dir: filepath.Join("testdata", "node-"+manager), warning: warning,
		present: []string{"var/task/index.js", "var/task/package.json", "var/task/node_modules/ms/index.js"},
		// No virtual store of links: addedFiles lists files, not links, so
		// ms/index.js being there means a real directory.
		absent: []string{"var/task/node_modules/is-number", "var/task/node_modules/.pnpm/node_modules"},
		native: []string{"var/task/node_modules/@node-rs"},
		event:  `{"text":"","uptimeMs":7200000}`, want: map[string]any{"hash": "2cc5d05", "uptime": "2 hours"},
	}
}

// rubyCase is examples/ruby on another Ruby runtime.
func rubyCase(runtime, warning string) matrixCase {
	gems := "var/task/vendor/bundle/ruby/3.3.0/"
	return matrixCase{
		name: runtime, dir: examplePath("ruby"), runtime: runtime, warning: warning,
		present: []string{"var/task/app.rb", gems + "gems/i18n-1.10.0/lib/i18n.rb"}, absent: []string{gems + "gems/rainbow-3.1.1", gems + "cache"},
		event: `{"name":"Ada"}`, want: map[string]any{"message": "Hello, Ada!"},
	}
}

// withNative adds a directory of c's image that must hold native code of
// the image's architecture.
func (c matrixCase) withNative(dir string) matrixCase {
	c.native = append(c.native, dir)
	return c
}

// withOwnMs: c is the monorepo fixtures' orders, whose own ms (2.0.0)
// conflicts with the one @acme/greet depends on (2.1.3). The function
// answers both versions it resolves, and the library's ships in its own
// node_modules.
func (c matrixCase) withOwnMs() matrixCase {
	c.want = maps.Clone(c.want)
	maps.Copy(c.want, map[string]any{"ms": "2.0.0", "greetMs": "2.1.3"})
	c.present = append(slices.Clone(c.present), "var/task/node_modules/@acme/greet/node_modules/ms/index.js")
	return c
}

// monorepoCase is a function of the monorepo fixture, testdata/monorepo
// (npm) or testdata/monorepo-pnpm; other is a package of the other
// function's closure, which must stay out.
func monorepoCase(fixture, service, other string) matrixCase {
	return matrixCase{
		name: fixture + "-" + service, dir: filepath.Join("testdata", fixture), file: "services/" + service + "/lambda.yaml",
		present: []string{"var/task/index.js", "var/task/package.json", "var/task/node_modules/@acme/greet/index.js", "var/task/node_modules/ms/index.js"},
		absent: []string{"var/task/node_modules/" + other, "var/task/node_modules/left-pad", "var/task/services", "var/task/packages",
			"var/task/lambda.yaml", "var/task/node_modules/@acme/" + service, ".buildkit-lambda-workspace"},
		event: `{"name":"Ada","uptimeMs":7200000}`, want: map[string]any{"service": service, "message": "Hello, Ada! Up for 2 hours."},
	}
}

// TestRuntimeMatrix builds every case of matrix for amd64 and arm64, in
// parallel on the one buildkitd.
func TestRuntimeMatrix(t *testing.T) {
	requireEnv(t)
	frontend(t)
	for _, c := range matrix {
		for _, arch := range []string{"amd64", "arm64"} {
			t.Run(c.name+"-"+arch, func(t *testing.T) {
				t.Parallel()
				c.run(t, arch)
			})
		}
	}
}

func (c matrixCase) run(t *testing.T, arch string) {
	dir, file := copyDir(t, c.dir), cmp.Or(c.file, "lambda.yaml")
	useGemSource(t, dir)
	if c.runtime != "" {
		replaceRuntime(t, filepath.Join(dir, file), c.runtime)
	}
	ref := fmt.Sprintf("%s/e2e/matrix-%s:%s", env.registry, strings.ReplaceAll(c.name, " ", "-"), arch)
	out, err := buildFile(t, dir, file, append([]string{"--platform", "linux/" + arch, "--provenance=false", "-t", ref, "--push"}, c.flags...)...)
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	if c.warning != "" && !strings.Contains(out, c.warning) {
		t.Errorf("the build did not warn %s:\n%s", c.warning, out)
	}
	img, _ := image(t, ref)
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("base image stands in with %s", cfg.Config.Labels["com.github.buildkit-lambda.standin.version"])
	if cfg.Architecture != arch {
		t.Errorf("image architecture %s, want %s", cfg.Architecture, arch)
	}
	layers, err := img.Layers()
	added := cmp.Or(c.layers, 2)
	if err != nil || len(layers) < added+1 {
		t.Fatalf("%d layers (%v); want the base's and %d more", len(layers), err, added)
	}
	files := addedFiles(t, layers[len(layers)-added:])
	for _, p := range c.present {
		if _, ok := files[p]; !ok {
			t.Errorf("%s is missing from the image", p)
		}
	}
	for name := range files {
		for _, a := range c.absent {
			if name == a || strings.HasPrefix(name, a+"/") {
				t.Errorf("%s must not be in the image", name)
			}
		}
	}
	for _, p := range c.executables {
		if f, ok := files[p]; !ok || f.elf != elfMachines[arch] || f.mode&0o111 == 0 {
			t.Errorf("%s is %+v, want an executable for %s", p, f, elfMachines[arch])
		}
	}
	for _, dir := range c.native {
		var found int
		for name, f := range files {
			if strings.HasPrefix(name, dir+"/") && (strings.HasSuffix(name, ".so") || strings.HasSuffix(name, ".node")) {
				found++
				if f.elf != elfMachines[arch] {
					t.Errorf("%s is %q, want %s", name, f.elf, elfMachines[arch])
				}
			}
		}
		if found == 0 {
			t.Errorf("no native module under %s", dir)
		}
	}
	if arch != "amd64" || c.event == "" {
		return
	}
	invokeAndCheck(t, img, c.event, c.want)
}

// replaceRuntime sets the runtime line of a lambda.yaml.
func replaceRuntime(t *testing.T, file, runtime string) {
	t.Helper()
	lines := strings.Split(readFile(t, file), "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, "runtime:") {
			lines[i] = "runtime: " + runtime
		}
	}
	writeFile(t, file, strings.Join(lines, "\n"))
}
