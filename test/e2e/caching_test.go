package e2e

import (
	"bufio"
	"cmp"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	lambdafrontend "github.com/buildkit-lambda/buildkit-lambda/frontend"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// progress is what a build printed with --progress rawjson: each step by
// name, whether it was cached, and the log lines of every step.
type progress struct {
	cached map[string]bool
	// ran holds the steps that ran: BuildKit may report a step cached and
	// run it after all, when the cache it found cannot be used.
	ran  map[string]bool
	logs map[string]string
	// warnings are the build's warnings, as the frontend wrote them.
	warnings []string
}

func parseProgress(t *testing.T, out string) progress {
	t.Helper()
	p := progress{cached: map[string]bool{}, ran: map[string]bool{}, logs: map[string]string{}}
	names := map[string]string{}
	sc := bufio.NewScanner(strings.NewReader(out))
	sc.Buffer(make([]byte, 1<<20), 1<<24)
	for sc.Scan() {
		var st struct {
			Vertexes []struct {
				Digest, Name string
				Cached       bool
				Completed    *time.Time
			}
			Logs []struct {
				Vertex string
				Data   []byte
			}
			Warnings []struct {
				Short []byte
			}
		}
		if json.Unmarshal(sc.Bytes(), &st) != nil {
			continue
		}
		for _, v := range st.Vertexes {
			names[v.Digest] = v.Name
			p.cached[v.Name] = p.cached[v.Name] || v.Cached
			p.ran[v.Name] = p.ran[v.Name] || (v.Completed != nil && !v.Cached)
		}
		for _, l := range st.Logs {
			p.logs[names[l.Vertex]] += string(l.Data)
		}
		for _, w := range st.Warnings {
			p.warnings = append(p.warnings, string(w.Short))
		}
	}
	if len(names) == 0 {
		t.Fatalf("no steps in the progress output:\n%s", out)
	}
	return p
}

func (p progress) step(t *testing.T, name string) bool {
	t.Helper()
	cached, ok := p.cached[name]
	if !ok {
		var all []string
		for n := range p.cached {
			all = append(all, n)
		}
		slices.Sort(all)
		t.Fatalf("no step %q; steps: %q", name, all)
	}
	return cached
}

func buildWithProgress(t *testing.T, dir, ref string, extra ...string) progress {
	t.Helper()
	out, err := buildYAML(t, dir, append([]string{"--platform", "linux/amd64", "--provenance=false",
		"--progress", "rawjson", "-t", ref, "--push"}, extra...)...)
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	return parseProgress(t, out)
}

// TestCodeChangeReusesDependencies changes one line of the Node handler:
// neither install runs again, and only the code layer changes.
func TestCodeChangeReusesDependencies(t *testing.T) {
	requireEnv(t)
	dir := copyDir(t, examplePath("nodejs"))
	ref := env.registry + "/e2e/caching:node"
	buildWithProgress(t, dir, ref)
	before, _ := image(t, ref)

	// A change no earlier run on this builder made, or its cache would
	// answer for it.
	replaceInFile(t, dir+"/src/app.ts", "`${greeting}, ", fmt.Sprintf("`${greeting} again (%d), ", time.Now().UnixNano()))
	start := time.Now()
	p := buildWithProgress(t, dir, ref, "--build-arg", "BUILDKIT_LAMBDA_TRACE=1")
	requestsTraced(t, p, start)
	for _, step := range []string{"[nodejs22] npm ci", "[nodejs22] npm ci --omit=dev"} {
		if !p.step(t, step) {
			t.Errorf("%s ran again after a code-only change", step)
		}
	}
	if p.step(t, "[nodejs22] npm run build") {
		t.Error("npm run build was cached although the code changed")
	}
	after, _ := image(t, ref)
	onlyCodeLayerChanged(t, before, after)
}

// requestsTraced checks the trace that --build-arg BUILDKIT_LAMBDA_TRACE=1
// asks of the frontend: its process started during the build, and its
// requests include the build definition's read, timed within the build.
func requestsTraced(t *testing.T, p progress, start time.Time) {
	t.Helper()
	var trace *lambdafrontend.Trace
	for _, w := range p.warnings {
		if tr, ok := lambdafrontend.ParseTrace(w); ok {
			trace = tr
		}
	}
	if trace == nil {
		t.Fatalf("no trace among the warnings %q", p.warnings)
	}
	end := time.Now()
	if trace.Process.Before(start) || trace.Process.After(end) {
		t.Errorf("the frontend started at %s, outside the build (%s to %s)", trace.Process, start, end)
	}
	var names []string
	for _, r := range trace.Requests {
		names = append(names, r.Request)
		if r.Start.Before(trace.Process) || r.End.Before(r.Start) || r.End.After(end) {
			t.Errorf("%s from %s to %s, outside the frontend's run", r.Request, r.Start, r.End)
		}
	}
	for _, want := range []string{"Solve", "ReadFile lambda.yaml", "ReadFile package.json", "ResolveImageConfig public.ecr.aws/lambda/nodejs:22"} {
		if !slices.Contains(names, want) {
			t.Errorf("no %s in the trace's requests %q", want, names)
		}
	}
}

// onlyCodeLayerChanged fails unless after has the layers of before, the
// last (code) layer alone replaced.
func onlyCodeLayerChanged(t *testing.T, before, after v1.Image) {
	t.Helper()
	lb, err := layerDigests(before)
	if err != nil {
		t.Fatal(err)
	}
	la, err := layerDigests(after)
	if err != nil {
		t.Fatal(err)
	}
	if len(lb) < 2 || len(lb) != len(la) {
		t.Fatalf("layer count went from %d to %d; want the same, at least a base and a code layer", len(lb), len(la))
	}
	for i := range la {
		if last := i == len(la)-1; last == (lb[i] == la[i]) {
			t.Errorf("layer %d of %d: %s -> %s; only the last (code) layer may change", i+1, len(la), lb[i], la[i])
		}
	}
}

func layerDigests(img v1.Image) ([]v1.Hash, error) {
	layers, err := img.Layers()
	if err != nil {
		return nil, fmt.Errorf("reading layers: %w", err)
	}
	out := make([]v1.Hash, len(layers))
	for i, l := range layers {
		if out[i], err = l.Digest(); err != nil {
			return nil, fmt.Errorf("reading layer %d: %w", i, err)
		}
	}
	return out, nil
}

// TestDependencyChangeReusesCacheMount adds a Python dependency: pip
// installs again, and takes the unchanged package from its cache mount.
func TestDependencyChangeReusesCacheMount(t *testing.T) {
	requireEnv(t)
	dir := copyDir(t, examplePath("python"))
	ref := env.registry + "/e2e/caching:python"
	// A comment unique to this run keeps earlier runs' results out of
	// BuildKit's cache, so both installs really run.
	run := fmt.Sprintf("# test run %d\n", time.Now().UnixNano())
	// pip caches only what it fetched over HTTPS or from a trusted host;
	// the test's index is plain HTTP on loopback.
	replaceInFile(t, dir+"/lambda.yaml", "env:\n", "build:\n  env:\n    PIP_TRUSTED_HOST: 127.0.0.1\nenv:\n")
	writeFile(t, dir+"/requirements.txt", run+"humanize==4.4.0\n")
	buildWithProgress(t, dir, ref, pipSecret()...)

	writeFile(t, dir+"/requirements.txt", run+"humanize==4.4.0\nsix==1.16.0\n")
	p := buildWithProgress(t, dir, ref, pipSecret()...)
	install := "[python3.12] pip install -r requirements.txt"
	if p.step(t, install) {
		t.Fatalf("%s was cached although requirements.txt changed", install)
	}
	logs := p.logs[install]
	if !strings.Contains(logs, "Using cached") || !strings.Contains(logs, "humanize") {
		t.Errorf("pip did not take humanize from its cache mount; it printed:\n%s\nlogs of: %q", logs, slices.Collect(maps.Keys(p.logs)))
	}
	if strings.Contains(logs, pipPassword) {
		t.Error("the index password appeared in the build output")
	}
	t.Logf("pip install output:\n%s", logs)
}

// TestNoCacheRerunsEverything checks that --no-cache reaches every step.
func TestNoCacheRerunsEverything(t *testing.T) {
	requireEnv(t)
	dir := examplePath("go")
	ref := env.registry + "/e2e/caching:nocache"
	buildWithProgress(t, dir, ref)
	p := buildWithProgress(t, dir, ref, "--no-cache")
	for _, step := range []string{"[go] go mod download", "[go] go build ./cmd/greeter"} {
		if p.step(t, step) {
			t.Errorf("%s was cached under --no-cache", step)
		}
	}
}

// TestRebuildWithoutEpochIsStable rebuilds an unchanged example without
// SOURCE_DATE_EPOCH: every step is cached, and the image, created time
// included, is the same.
func TestRebuildWithoutEpochIsStable(t *testing.T) {
	requireEnv(t)
	ref := env.registry + "/e2e/stable:latest"
	var digests []string
	for range 2 {
		buildWithProgress(t, examplePath("python"), ref, pipSecret()...)
		_, desc := image(t, ref)
		digests = append(digests, desc.Digest.String())
	}
	if digests[0] != digests[1] {
		t.Errorf("two builds of the same sources gave %s and %s", digests[0], digests[1])
	}
}

// TestPackageManagerCaches: for pnpm and uv, as for npm and pip above, a
// code change runs no install and changes only the code layer, and a
// dependency change installs again, taking the unchanged packages from the
// cache mount. A build.env value unique to the run keeps earlier runs'
// steps out of BuildKit's cache, so that both installs really run.
func TestPackageManagerCaches(t *testing.T) {
	requireEnv(t)
	for _, tc := range []struct {
		name, fixture, runtime string
		// code is the file a code change edits, old and new its text.
		code, old, new string
		// install is the production install step.
		install string
		// reused matches the install's log after the dependency change:
		// packages taken from the cache mount, where that can be seen.
		reused *regexp.Regexp
	}{{
		name: "pnpm", fixture: "node-pnpm", runtime: "nodejs22", code: "index.js", old: "toString(16)", new: "toString(16).toUpperCase()",
		install: "[nodejs22] pnpm install --frozen-lockfile --prod --store-dir=/root/.cache/pnpm-store --config.node-linker=hoisted",
		reused:  regexp.MustCompile(`reused [1-9]`),
	}, {
		// pip's cache keeps a download only when the index's answer may be
		// cached, and the proxy these machines reach PyPI through strips
		// Cache-Control; TestDependencyChangeReusesCacheMount shows the
		// same pip step and cache mount reusing a package served from the
		// test's own index. Here the new list is what must install.
		name: "uv", fixture: "python-uv", runtime: "python3.12", code: "app.py", old: "naturalsize(", new: "naturalsize( ",
		install: "[python3.12] pip install -r uv.lock",
		reused:  regexp.MustCompile(`Successfully installed humanize-4\.11\.0 orjson-3\.10\.12 six-1\.16\.0`),
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyDir(t, filepath.Join("testdata", tc.fixture))
			replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "handler:", fmt.Sprintf("build:\n  env:\n    RUN_ID: %q\nhandler:", fmt.Sprint(time.Now().UnixNano())))
			ref := env.registry + "/e2e/caching:" + tc.name
			first := buildWithProgress(t, dir, ref)
			if first.step(t, tc.install) {
				t.Fatalf("%s was cached on the run's first build", tc.install)
			}
			before, _ := image(t, ref)

			replaceInFile(t, filepath.Join(dir, tc.code), tc.old, tc.new)
			if p := buildWithProgress(t, dir, ref); !p.step(t, tc.install) {
				t.Errorf("%s ran again after a code-only change", tc.install)
			}
			after, _ := image(t, ref)
			onlyCodeLayerChanged(t, before, after)

			changed := filepath.Join("testdata", "depchange", tc.fixture)
			entries, err := os.ReadDir(changed)
			if err != nil || len(entries) == 0 {
				t.Fatalf("no dependency change in %s: %v", changed, err)
			}
			for _, e := range entries {
				writeFile(t, filepath.Join(dir, e.Name()), readFile(t, filepath.Join(changed, e.Name())))
			}
			p := buildWithProgress(t, dir, ref)
			if p.step(t, tc.install) {
				t.Fatalf("%s was cached although the lockfile changed", tc.install)
			}
			if logs := p.logs[tc.install]; !tc.reused.MatchString(logs) {
				t.Errorf("the install's log lacks %q; it printed:\n%s", tc.reused, logs)
			}
		})
	}
}

// TestCompiledCodeChange: after a change to the sources of a compiled
// function no dependency is fetched, the compile runs again on the
// compiler's own cache (Cargo's target directory; Maven's offline local
// repository), and only the code layer changes. A build.env value unique
// to the run keeps earlier runs' steps out of BuildKit's cache.
func TestCompiledCodeChange(t *testing.T) {
	requireEnv(t)
	for _, tc := range []struct {
		example, dir, fetch, build string
		// file changes from old to new; the build's log must hold compiled
		// and must not hold notCompiled.
		file, old, new        string
		compiled, notCompiled string
		// manifest, when set, is a build file a last build appends a
		// comment to: the fetch runs again, from the download cache, and
		// its log must not hold download.
		manifest, download string
	}{{
		example: "rust", fetch: "[rust] cargo fetch", build: "[rust] cargo build --release --bin greeter",
		file: "src/main.rs", old: `"Hello"`, new: `"Hi"`,
		// Dependencies come from the target directory's cache mount.
		compiled: "Compiling greeter", notCompiled: "Compiling tokio",
	}, {
		example: "java", fetch: "[java21] mvn dependency:copy-dependencies", build: "[java21] mvn compile",
		file: "src/main/java/example/Handler.java", old: `"Hello"`, new: `"Hi"`,
		compiled: "Compiling 1 source file",
	}, {
		example: "gradle", dir: filepath.Join("testdata", "java-gradle"),
		fetch: "[java17] gradle lambdaDependencies", build: "[java17] gradle classes",
		file: "src/main/java/example/Handler.java", old: `"Hello"`, new: `"Hi"`,
		compiled: ":compileJava",
		manifest: "build.gradle", download: "Download https://",
	}} {
		t.Run(tc.example, func(t *testing.T) {
			t.Parallel()
			dir := copyDir(t, cmp.Or(tc.dir, examplePath(tc.example)))
			replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "env:", fmt.Sprintf("build:\n  env:\n    RUN_ID: %q\nenv:", fmt.Sprint(time.Now().UnixNano())))
			ref := env.registry + "/e2e/caching:" + tc.example
			if first := buildWithProgress(t, dir, ref, "--platform", "linux/amd64"); first.step(t, tc.fetch) {
				t.Fatalf("%s was cached on the run's first build", tc.fetch)
			}
			before, _ := image(t, ref)

			replaceInFile(t, filepath.Join(dir, filepath.FromSlash(tc.file)), tc.old, tc.new)
			p := buildWithProgress(t, dir, ref, "--platform", "linux/amd64")
			if !p.step(t, tc.fetch) {
				t.Errorf("%s ran again after a code-only change", tc.fetch)
			}
			if p.step(t, tc.build) {
				t.Fatalf("%s was cached after a code change", tc.build)
			}
			logs := p.logs[tc.build]
			if !strings.Contains(logs, tc.compiled) || tc.notCompiled != "" && strings.Contains(logs, tc.notCompiled) {
				t.Errorf("%s after a code change must print %q and not %q; it printed:\n%s", tc.build, tc.compiled, tc.notCompiled, logs)
			}
			after, _ := image(t, ref)
			onlyCodeLayerChanged(t, before, after)

			if tc.manifest == "" {
				return
			}
			appendFile(t, filepath.Join(dir, tc.manifest), "\n// a change that needs no new dependency\n")
			p = buildWithProgress(t, dir, ref, "--platform", "linux/amd64")
			if p.step(t, tc.fetch) {
				t.Fatalf("%s was cached after %s changed", tc.fetch, tc.manifest)
			}
			if logs := p.logs[tc.fetch]; strings.Contains(logs, tc.download) {
				t.Errorf("%s downloaded again what the download cache holds:\n%s", tc.fetch, logs)
			}
		})
	}
}

// appendFile adds text at the end of a file.
func appendFile(t *testing.T, path, text string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteString(text); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}
