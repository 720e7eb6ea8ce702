package llbgen_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/internal/golden"
	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	digest "github.com/opencontainers/go-digest"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

var amd64 = ocispecs.Platform{OS: "linux", Architecture: "amd64"}
var arm64 = ocispecs.Platform{OS: "linux", Architecture: "arm64"}

// baseImages stands in for the gateway: every image resolves to its name,
// and Lambda base images to a config shaped like the AWS ones.
type baseImages struct{}

func (baseImages) ResolveImage(_ context.Context, ref string, p ocispecs.Platform) (llb.State, *dockerspec.DockerOCIImage, error) {
	img := &dockerspec.DockerOCIImage{}
	img.Platform = p
	img.Config.Env = []string{"PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin", "LAMBDA_TASK_ROOT=/var/task", "GREETING=base"}
	img.Config.WorkingDir = "/var/task"
	img.Config.Entrypoint = []string{"/lambda-entrypoint.sh"}
	img.Config.Labels = map[string]string{"from.base": "yes"}
	img.History = []ocispecs.History{{CreatedBy: "base layer"}}
	return llb.Image(ref, llb.Platform(p)), img, nil
}

// example loads examples/NAME and the options a gateway build would pass.
func example(t *testing.T, name string, target ocispecs.Platform) (*lambdafile.File, llbgen.Options) {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "examples", name, "lambda.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return exampleWith(t, name, string(data), target)
}

// exampleWith is example with another lambda.yaml in the example's context.
func exampleWith(t *testing.T, name, yaml string, target ocispecs.Platform) (*lambdafile.File, llbgen.Options) {
	t.Helper()
	s, files := loadProject(t, filepath.Join("..", "examples", name), []byte(yaml))
	return s, llbgen.Options{
		TargetPlatform: &target,
		BuildPlatform:  amd64,
		// A session ID, as the gateway gives, keeps BuildKit from adding a
		// random unique ID to the local source.
		Context:       llb.Local("context", llb.SessionID("test-session")),
		Files:         files,
		Images:        baseImages{},
		SourceMap:     llb.NewSourceMap(nil, "lambda.yaml", "YAML", []byte(yaml)),
		MergeOp:       true,
		NoContentHash: true,
		Version:       "test",
	}
}

func generate(t *testing.T, s *lambdafile.File, opt llbgen.Options) (*llbgen.Result, *graph, *llb.Definition) {
	t.Helper()
	res, err := llbgen.Generate(context.Background(), s, opt)
	if err != nil {
		t.Fatal(err)
	}
	def, err := res.Image.Marshal(context.Background(), llb.Platform(res.Platform))
	if err != nil {
		t.Fatal(err)
	}
	g, err := decode(def)
	if err != nil {
		t.Fatal(err)
	}
	return res, g, def
}

// TestGolden records the whole LLB and image config of every example, for
// both architectures, built on amd64.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "examples", "*", "lambda.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no examples: %v", err)
	}
	for _, f := range files {
		name := filepath.Base(filepath.Dir(f))
		for _, target := range []ocispecs.Platform{amd64, arm64} {
			t.Run(name+"-"+target.Architecture, func(t *testing.T) {
				s, opt := example(t, name, target)
				res, g, _ := generate(t, s, opt)
				cfg, err := json.MarshalIndent(res.Config, "", "  ")
				if err != nil {
					t.Fatal(err)
				}
				out := g.String() + "\nimage config:\n" + string(cfg) + "\n"
				golden.Check(t, filepath.Join("testdata", name+"-"+target.Architecture+".golden"), []byte(out))
			})
		}
	}
}

func TestNode(t *testing.T) {
	s, opt := example(t, "nodejs", arm64)
	res, g, _ := generate(t, s, opt)

	assertSources(t, g, "docker-image://public.ecr.aws/lambda/nodejs:22")
	full, prod := g.named("npm ci"), g.named("npm ci --omit=dev")
	manifests, sources, build := g.find("copy package-lock.json"), g.find("copy sources"), g.find("npm run build")
	if full < 0 || prod < 0 || manifests < 0 || sources < 0 || build < 0 {
		t.Fatalf("missing steps:\n%s", g)
	}
	for _, install := range []int{full, prod} {
		e := g.ops[install].GetExec()
		assertCache(t, e, "/root/.npm", "buildkit-lambda/nodejs22/arm64/npm", pb.CacheSharingOpt_SHARED)
		if !g.dependsOn(install, manifests) || g.dependsOn(install, sources) {
			t.Errorf("%s must come after the manifests and before the sources", g.name(install))
		}
		if g.ops[install].Platform.Architecture != "amd64" {
			t.Errorf("%s runs on %s, want the build platform amd64", g.name(install), g.ops[install].Platform.Architecture)
		}
	}
	if args := strings.Join(g.ops[prod].GetExec().Meta.Args, " "); !strings.Contains(args, "--cpu=arm64") {
		t.Errorf("production install %q must fetch arm64 packages", args)
	}
	if args := strings.Join(g.ops[full].GetExec().Meta.Args, " "); strings.Contains(args, "--cpu") {
		t.Errorf("full install %q feeds build tools on the build platform; it must not ask for another cpu", args)
	}
	if !g.dependsOn(build, full) || !g.dependsOn(build, sources) {
		t.Error("npm run build must run on the full install and the sources")
	}
	// The code layer is one copy from the compile stage, like COPY --link
	// --from=build, not a copy of the `build` target's copy.
	code := g.find("copy dist to /var/task")
	if code < 0 || !g.dependsOn(code, build) || g.dependsOn(code, g.find("build output")) {
		t.Fatalf("the code layer must copy dist from the npm run build step directly:\n%s", g)
	}
	// Exclusions make BuildKit walk the whole compile stage to hash the copy.
	if ex := g.ops[code].GetFile().Actions[0].GetCopy().ExcludePatterns; len(ex) != 0 {
		t.Errorf("the code layer copies dist excluding %v; nothing of npm's is in dist", ex)
	}
	// Secret-free build commands still never see node_modules from the context.
	if cp := g.ops[sources].GetFile().Actions[0].GetCopy(); !slices.Contains(cp.ExcludePatterns, "node_modules") {
		t.Errorf("copy sources excludes %v, want node_modules", cp.ExcludePatterns)
	}
	assertConfig(t, res, "nodejs22", []string{"app.handler"}, "GREETING=Hello")
	if res.Config.Architecture != "arm64" {
		t.Errorf("config architecture %q, want arm64", res.Config.Architecture)
	}
}

// TestOutputRootLeavesOutWhatIsNotShipped builds from the sources' root:
// the build definition, .dockerignore, the manifests and, for Node, the
// full npm install stay out of the code layer, so that neither a
// dependency change nor an edit of lambda.yaml makes a new code layer.
func TestOutputRootLeavesOutWhatIsNotShipped(t *testing.T) {
	for _, tc := range []struct {
		name, example, yaml string
		// from is the step the code layer copies from.
		from string
		want []string
	}{{
		name: "node with build commands", example: "nodejs",
		yaml: "runtime: nodejs22\nhandler: dist/app.handler\nbuild:\n  commands: [npm run build]\n",
		from: "npm run build",
		want: []string{".dockerignore", "package.json", "package-lock.json", "npm-shrinkwrap.json", "pnpm-lock.yaml", "yarn.lock", "bun.lock", "bun.lockb",
			".npmrc", ".yarnrc", ".yarnrc.yml", "pnpm-workspace.yaml", "bunfig.toml", "lambda.yaml", "node_modules"},
	}, {
		name: "python without build commands", example: "python",
		yaml: "runtime: python3.12\nhandler: app.handler\n",
		want: []string{"__pycache__", "**/__pycache__", "*.pyc", ".venv", "venv", ".dockerignore",
			"uv.lock", "poetry.lock", "Pipfile.lock", "Pipfile", "requirements.txt", "pyproject.toml", "lambda.yaml"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			s, opt := exampleWith(t, tc.example, tc.yaml, amd64)
			_, g, _ := generate(t, s, opt)
			code := g.find("copy . to /var/task")
			if code < 0 {
				t.Fatalf("no code layer:\n%s", g)
			}
			if tc.from != "" && !g.dependsOn(code, g.find(tc.from)) {
				t.Errorf("the code layer does not copy what %s made:\n%s", tc.from, g)
			}
			if ex := g.ops[code].GetFile().Actions[0].GetCopy().ExcludePatterns; !slices.Equal(ex, tc.want) {
				t.Errorf("the code layer copies the sources' root excluding %q, want %q", ex, tc.want)
			}
		})
	}
}

func TestPython(t *testing.T) {
	s, opt := example(t, "python", amd64)
	res, g, _ := generate(t, s, opt)
	assertSources(t, g, "docker-image://public.ecr.aws/lambda/python:3.12")
	install, req, code := g.find("pip install"), g.find("copy requirements.txt"), g.find("copy . to /var/task")
	if install < 0 || req < 0 || code < 0 {
		t.Fatalf("missing steps:\n%s", g)
	}
	e := g.ops[install].GetExec()
	assertCache(t, e, "/root/.cache/pip", "buildkit-lambda/python3.12/x86_64/pip", pb.CacheSharingOpt_LOCKED)
	if !g.dependsOn(install, req) || g.dependsOn(code, install) {
		t.Error("pip install must come after requirements.txt, and the code layer must not depend on it")
	}
	// Without build commands the code layer is one copy from the context,
	// as COPY --link would be.
	if in := g.index[digest.Digest(g.ops[code].Inputs[0].Digest)]; len(g.ops[code].Inputs) != 1 || g.ops[in].GetSource().GetIdentifier() != "local://context" {
		t.Errorf("the code layer copies from %s, want the build context alone:\n%s", g.name(in), g)
	}
	if cp := g.ops[code].GetFile().Actions[0].GetCopy(); !slices.Contains(cp.ExcludePatterns, "**/__pycache__") || cp.ModeStr != "a+rX" {
		t.Errorf("the code layer copies with excludes %v and mode %q, want __pycache__ left out and a+rX", cp.ExcludePatterns, cp.ModeStr)
	}
	if !slices.ContainsFunc(e.Secretenv, func(s *pb.SecretEnv) bool { return s.ID == "pip-index-url" && s.Name == "PIP_INDEX_URL" && s.Optional }) {
		t.Errorf("pip install must get the optional pip-index-url secret as PIP_INDEX_URL, has %v", e.Secretenv)
	}
	assertConfig(t, res, "python3.12", []string{"app.handler"}, "GREETING=Hello")
}

func TestPythonBuildCommandsFeedTheCodeLayer(t *testing.T) {
	s, opt := exampleWith(t, "python", "runtime: python3.12\nhandler: app.handler\nbuild:\n  commands: [python -m compileall -b .]\n", amd64)
	_, g, _ := generate(t, s, opt)
	code, commands, install := g.find("copy . to /var/task"), g.find("python -m compileall"), g.find("pip install")
	if code < 0 || commands < 0 || install < 0 {
		t.Fatalf("missing steps:\n%s", g)
	}
	if !g.dependsOn(code, commands) || !g.dependsOn(commands, install) {
		t.Errorf("the code layer must hold what the build commands made, on the installed dependencies:\n%s", g)
	}
}

func TestPythonCrossArchFetchesWheels(t *testing.T) {
	s, opt := example(t, "python", arm64)
	_, g, _ := generate(t, s, opt)
	args := strings.Join(g.ops[g.find("pip install")].GetExec().Meta.Args, " ")
	for _, want := range []string{"--platform manylinux_2_34_aarch64", "--only-binary=:all:", "--python-version 3.12"} {
		if !strings.Contains(args, want) {
			t.Errorf("pip install %q lacks %q", args, want)
		}
	}
}

func TestGo(t *testing.T) {
	s, opt := example(t, "go", arm64)
	res, g, _ := generate(t, s, opt)
	assertSources(t, g, "docker-image://docker.io/library/golang:1.26", "docker-image://public.ecr.aws/lambda/provided:al2023")
	download, build, mod, sources := g.find("go mod download"), g.find("go build"), g.find("copy go.sum"), g.find("copy sources")
	if download < 0 || build < 0 || mod < 0 || sources < 0 {
		t.Fatalf("missing steps:\n%s", g)
	}
	if !g.dependsOn(download, mod) || g.dependsOn(download, sources) {
		t.Error("go mod download must come after go.mod/go.sum and before the sources")
	}
	e := g.ops[build].GetExec()
	if g.ops[build].Platform.Architecture != "amd64" {
		t.Errorf("go build runs on %s, want the build platform amd64 (cross-compiling)", g.ops[build].Platform.Architecture)
	}
	for _, kv := range []string{"GOARCH=arm64", "GOOS=linux", "CGO_ENABLED=0"} {
		if !slices.Contains(e.Meta.Env, kv) {
			t.Errorf("go build env lacks %s: %v", kv, e.Meta.Env)
		}
	}
	// No shell: go.main is one argument, whatever it holds.
	want := []string{"go", "build", "-trimpath", "-ldflags=-s -w", "-tags", "lambda.norpc", "-o", "/out/bootstrap", "./cmd/greeter"}
	if !slices.Equal(e.Meta.Args, want) {
		t.Errorf("go build args %q, want %q", e.Meta.Args, want)
	}
	if e.Network != pb.NetMode_NONE {
		t.Errorf("go build runs with network %s, want none", e.Network)
	}
	assertCache(t, g.ops[download].GetExec(), "/root/.cache/go-mod-downloads", "buildkit-lambda/go/arm64/gomod", pb.CacheSharingOpt_SHARED)
	assertCache(t, e, "/root/.cache/go-build", "buildkit-lambda/go/arm64/gobuild", pb.CacheSharingOpt_SHARED)
	if cp := g.ops[g.find("bootstrap to")].GetFile().Actions[0].GetCopy(); cp.Dest != "/var/runtime/bootstrap" {
		t.Errorf("bootstrap lands at %s, want /var/runtime/bootstrap", cp.Dest)
	}
	assertConfig(t, res, "go", []string{"bootstrap"}, "GREETING=Hello")
}

func TestCacheMountNamespace(t *testing.T) {
	s, opt := example(t, "nodejs", amd64)
	opt.CacheNS = "team-a"
	_, g, _ := generate(t, s, opt)
	assertCache(t, g.ops[g.named("npm ci")].GetExec(), "/root/.npm", "team-a/buildkit-lambda/nodejs22/x86_64/npm", pb.CacheSharingOpt_SHARED)
}

func TestWithoutMergeOpLayersAreCopies(t *testing.T) {
	s, opt := example(t, "nodejs", amd64)
	opt.MergeOp = false
	_, g, _ := generate(t, s, opt)
	for _, op := range g.ops {
		if op.GetMerge() != nil {
			t.Fatal("merge op emitted for a builder without CapMergeOp")
		}
	}
	if g.find("layer onto the base image") < 0 {
		t.Fatalf("no copy of the layers onto the base:\n%s", g)
	}
}

// TestImageDependsOnPreflight checks that with MergeOp the image cannot be
// built without the preflight checks, through an empty diff that adds no
// layer, so that their cache travels with the image's; and that without
// MergeOp the image leaves them to a solve of their own.
func TestImageDependsOnPreflight(t *testing.T) {
	frontend := llb.Image("example.com/buildkit-lambda:test")
	for _, merge := range []bool{true, false} {
		s, opt := example(t, "python", amd64)
		opt.Preflight, opt.MergeOp = &frontend, merge
		res, g, _ := generate(t, s, opt)
		if res.PreflightInImage != merge {
			t.Errorf("MergeOp %t: PreflightInImage %t", merge, res.PreflightInImage)
		}
		checks, passed := g.find("preflight checks: "), g.named("preflight checks passed")
		if !merge {
			if checks >= 0 || passed >= 0 {
				t.Errorf("without MergeOp the image holds the checks:\n%s", g)
			}
			continue
		}
		if checks < 0 || passed < 0 {
			t.Fatalf("the image does not depend on the checks:\n%s", g)
		}
		diff := g.ops[passed].GetDiff()
		if diff == nil || len(g.ops[passed].Inputs) != 2 || g.ops[passed].Inputs[0].Digest != g.ops[passed].Inputs[1].Digest ||
			g.index[digest.Digest(g.ops[passed].Inputs[0].Digest)] != checks {
			t.Errorf("%s is not the diff of the checks with themselves: %v", g.name(passed), g.ops[passed])
		}
		image := len(g.ops) - 2 // the last op is the definition's output
		if g.ops[image].GetMerge() == nil || !slices.ContainsFunc(g.ops[image].Inputs, func(in *pb.Input) bool {
			return g.index[digest.Digest(in.Digest)] == passed
		}) {
			t.Errorf("the image %s does not merge %s:\n%s", g.name(image), g.name(passed), g)
		}
	}
}

// TestPreflightMountsLayersApart checks that the preflight step reads the
// frontend's layers as separate read-only mounts, never the merged image,
// and the base image and the dependency layer only through steps of their
// own that keep what the checks read of them, none of them hashed by
// BuildKit.
func TestPreflightMountsLayersApart(t *testing.T) {
	for _, tc := range []struct {
		example string
		layers  []string
	}{
		{"nodejs", []string{"/prepared/layer", "/layers/deps", "/layers/code"}},
		{"python", []string{"/prepared/layer", "/layers/deps", "/layers/code"}},
		{"go", []string{"/prepared/layer", "/layers/code"}},
	} {
		t.Run(tc.example, func(t *testing.T) {
			s, opt := example(t, tc.example, amd64)
			_, g := preflightGraph(t, s, opt)
			checks, prepare := g.find("preflight checks"), g.find("what the checks read of the base image")
			if checks < 0 || prepare < 0 {
				t.Fatalf("missing preflight steps:\n%s", g)
			}
			mountedFrom := func(op int, dest string) int {
				for _, m := range g.ops[op].GetExec().Mounts {
					if m.Dest == dest {
						if !m.Readonly || m.ContentCache != pb.MountContentCache_OFF {
							t.Errorf("%s of %s is mounted readonly=%v content-cache=%s, want read-only and not hashed", dest, g.name(op), m.Readonly, m.ContentCache)
						}
						return g.index[digest.Digest(g.ops[op].Inputs[m.Input].Digest)]
					}
				}
				t.Fatalf("%s mounts nothing at %s:\n%s", g.name(op), dest, g)
				return -1
			}
			if base := g.ops[mountedFrom(prepare, "/base")].GetSource(); !strings.HasPrefix(base.GetIdentifier(), "docker-image://public.ecr.aws/lambda/") {
				t.Errorf("the base step reads %v, want the base image", base)
			}
			if mountedFrom(checks, "/prepared") != prepare {
				t.Errorf("the checks do not read what the base step kept:\n%s", g)
			}
			e := g.ops[checks].GetExec()
			if args := e.Meta.Args; !slices.Equal(args[len(args)-len(tc.layers):], tc.layers) || !slices.Contains(args, "--base-size") {
				t.Errorf("preflight args %q, want --base-size and then the layers %q", args, tc.layers)
			}
			for _, dest := range tc.layers[1:] {
				in := mountedFrom(checks, dest)
				if g.ops[in].GetMerge() != nil || g.ops[in].GetSource() != nil {
					t.Errorf("%s mounts %s, want one of the frontend's layers", dest, g.name(in))
				}
			}
			// The code's checks read a stand-in of the dependencies, made
			// by a step of its own that reads the dependency layer.
			depsStep := g.find("the dependencies' native code")
			standIns := map[string]bool{}
			for i, a := range e.Meta.Args[:len(e.Meta.Args)-1] {
				if a == "--stand-in" {
					standIns[e.Meta.Args[i+1]] = true
				}
			}
			if !standIns["/prepared/layer"] {
				t.Errorf("the checks do not read the base step's output as a stand-in: %q", e.Meta.Args)
			}
			if hasDeps := slices.Contains(tc.layers, "/layers/deps"); hasDeps != (depsStep >= 0) || hasDeps != standIns["/layers/deps"] {
				t.Fatalf("dependencies %t, but the dependencies' step is %d and the checks' args %q:\n%s", hasDeps, depsStep, e.Meta.Args, g)
			}
			if depsStep >= 0 {
				if mountedFrom(checks, "/layers/deps") != depsStep {
					t.Errorf("the checks do not read the dependencies' stand-in from %s:\n%s", g.name(depsStep), g)
				}
				if layer := mountedFrom(depsStep, "/deps"); g.ops[layer].GetExec() != nil || g.ops[layer].GetSource() != nil {
					t.Errorf("the dependencies' step reads %s, want the dependency layer", g.name(layer))
				}
			}
			var layerMounts int
			for _, m := range e.Mounts {
				if strings.HasPrefix(m.Dest, "/layers/") {
					layerMounts++
				}
			}
			if layerMounts != len(tc.layers)-1 {
				t.Errorf("the checks mount %d layers, want %q", layerMounts, tc.layers)
			}
		})
	}
}

// TestPreflightLibraryPath checks that the checks of shared libraries look
// where the image's dynamic loader will: on the LD_LIBRARY_PATH of the
// image's config, the base's or the one lambda.yaml's env sets.
func TestPreflightLibraryPath(t *testing.T) {
	for _, override := range []string{"", "/var/task/vendor/lib"} {
		s, opt := example(t, "go", amd64)
		if override != "" {
			s.Env = map[string]string{"LD_LIBRARY_PATH": override}
		}
		res, g := preflightGraph(t, s, opt)
		var libraryPath string
		for _, kv := range res.Config.Config.Env {
			if v, ok := strings.CutPrefix(kv, "LD_LIBRARY_PATH="); ok {
				libraryPath = v
			}
		}
		if override != "" && libraryPath != override {
			t.Errorf("the image's LD_LIBRARY_PATH is %q, want lambda.yaml's %q", libraryPath, override)
		}
		for _, step := range []string{"preflight checks", "what the checks read of the base image"} {
			i := g.find(step)
			if i < 0 {
				t.Fatalf("no step %q:\n%s", step, g)
			}
			if args := g.ops[i].GetExec().Meta.Args; !slices.Contains(args, "--library-path="+libraryPath) {
				t.Errorf("%s runs %q, want --library-path=%s, the image's", step, args, libraryPath)
			}
		}
	}
}

// preflightGraph generates the spec's LLB with the checks, run from a
// frontend image, and decodes the checks' graph.
func preflightGraph(t *testing.T, s *lambdafile.File, opt llbgen.Options) (*llbgen.Result, *graph) {
	t.Helper()
	frontend := llb.Image("example.com/buildkit-lambda:test")
	opt.Preflight = &frontend
	res, err := llbgen.Generate(context.Background(), s, opt)
	if err != nil {
		t.Fatal(err)
	}
	def, err := res.Preflight.Marshal(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	g, err := decode(def)
	if err != nil {
		t.Fatal(err)
	}
	return res, g
}

func TestPlatformFlagWinsOverArchitecture(t *testing.T) {
	s, opt := example(t, "go", amd64) // examples/go says architecture: arm64
	res, _, _ := generate(t, s, opt)
	if res.Platform.Architecture != "amd64" {
		t.Errorf("--platform must win: got %s", res.Platform.Architecture)
	}
}

// TestArgs checks that build commands see the declared args, with their
// --build-arg values or defaults, and env and build.env expand ${NAME}.
func TestArgs(t *testing.T) {
	s, opt := exampleWith(t, "nodejs", "runtime: nodejs22\nhandler: app.handler\n"+
		"args:\n  STAGE: dev\n  TARGETARCH:\n  UNUSED_DEFAULT: x\n"+
		"env:\n  APP_STAGE: ${STAGE}-on-${TARGETARCH}\n  PRICE: $$5 and $HOME\n"+
		"build:\n  commands: [npm run build]\n  env:\n    BUILT_FOR: ${TARGETPLATFORM}\n", arm64)
	opt.BuildArgs = map[string]string{"STAGE": "prod"}
	res, g, _ := generate(t, s, opt)

	build := g.find("npm run build")
	if build < 0 {
		t.Fatalf("no build step:\n%s", g)
	}
	env := g.ops[build].GetExec().Meta.Env
	for _, want := range []string{"STAGE=prod", "TARGETARCH=arm64", "UNUSED_DEFAULT=x", "BUILT_FOR=linux/arm64"} {
		if !slices.Contains(env, want) {
			t.Errorf("build command env %v lacks %s", env, want)
		}
	}
	if slices.ContainsFunc(env, func(e string) bool { return strings.HasPrefix(e, "TARGETOS=") }) {
		t.Errorf("build command env %v has TARGETOS, which lambda.yaml does not declare", env)
	}
	install := g.named("npm ci")
	if slices.ContainsFunc(g.ops[install].GetExec().Meta.Env, func(e string) bool { return strings.HasPrefix(e, "STAGE=") }) {
		t.Error("the dependency install sees build args; changing one would reinstall every dependency")
	}
	for _, want := range []string{"APP_STAGE=prod-on-arm64", "PRICE=$5 and $HOME"} {
		if !slices.Contains(res.Config.Config.Env, want) {
			t.Errorf("image env %v lacks %s", res.Config.Config.Env, want)
		}
	}
}

func TestSSHIsForwardedToFetchingSteps(t *testing.T) {
	s, opt := exampleWith(t, "nodejs", "runtime: nodejs22\nhandler: app.handler\nbuild:\n  commands: [npm run build]\nssh: [default, github]\n", amd64)
	_, g, _ := generate(t, s, opt)
	for _, name := range []string{"npm ci", "npm ci --omit=dev", "npm run build"} {
		i := g.named(name)
		if i < 0 {
			t.Fatalf("no step %q:\n%s", name, g)
		}
		e := g.ops[i].GetExec()
		var ids []string
		for _, m := range e.Mounts {
			if m.MountType == pb.MountType_SSH {
				ids = append(ids, m.SSHOpt.ID+"@"+m.Dest)
			}
		}
		want := []string{"default@/run/buildkit/ssh_agent.0", "github@/run/buildkit/ssh_agent.1"}
		if !slices.Equal(ids, want) {
			t.Errorf("%s mounts SSH %v, want %v", name, ids, want)
		}
		if !slices.Contains(e.Meta.Env, "SSH_AUTH_SOCK=/run/buildkit/ssh_agent.0") {
			t.Errorf("%s has no SSH_AUTH_SOCK", name)
		}
	}
}

func TestUnsupportedPlatform(t *testing.T) {
	s, opt := example(t, "go", ocispecs.Platform{OS: "linux", Architecture: "386"})
	_, err := llbgen.Generate(context.Background(), s, opt)
	var ce *llbgen.ContextError
	if !errors.As(err, &ce) || !strings.Contains(ce.Msg, "linux/386 is not one Lambda runs") {
		t.Fatalf("got %v, want a ContextError about linux/386", err)
	}
}

func TestMissingManifest(t *testing.T) {
	for _, tc := range []struct{ example, file, msg string }{
		{"nodejs", "package.json", "package-lock.json has no package.json beside it"},
		{"go", "go.mod", "runtime go needs go.mod at the root of the build context"},
	} {
		s, opt := example(t, tc.example, amd64)
		delete(opt.Files, tc.file)
		_, err := llbgen.Generate(context.Background(), s, opt)
		var ce *llbgen.ContextError
		if !errors.As(err, &ce) || !strings.Contains(ce.Msg, tc.msg) {
			t.Errorf("without %s: got %v, want a ContextError saying %q", tc.file, err, tc.msg)
		}
	}
}

// TestDeterministic marshals every example twice and compares digests.
func TestDeterministic(t *testing.T) {
	for _, name := range []string{"nodejs", "python", "go", "rust", "custom", "java"} {
		s, opt := example(t, name, arm64)
		_, _, a := generate(t, s, opt)
		_, _, b := generate(t, s, opt)
		da, _ := a.Head()
		db, _ := b.Head()
		if da != db || len(a.Def) != len(b.Def) {
			t.Errorf("%s: two marshals gave %s and %s", name, da, db)
		}
	}
}

// TestPure enforces that llbgen never talks to the gateway.
func TestPure(t *testing.T) {
	out, err := exec.Command("go", "list", "-deps", ".").Output()
	if err != nil {
		t.Fatal(err)
	}
	for _, dep := range strings.Fields(string(out)) {
		if strings.HasPrefix(dep, "github.com/moby/buildkit/frontend/") {
			t.Errorf("llbgen imports %s; it must stay free of the gateway", dep)
		}
	}
}

func assertSources(t *testing.T, g *graph, want ...string) {
	t.Helper()
	var got []string
	for _, op := range g.ops {
		if src := op.GetSource(); src != nil && strings.HasPrefix(src.Identifier, "docker-image://") {
			got = append(got, src.Identifier)
		}
	}
	slices.Sort(got)
	got = slices.Compact(got)
	if !slices.Equal(got, want) {
		t.Errorf("images %v, want %v", got, want)
	}
}

func assertCache(t *testing.T, e *pb.ExecOp, dest, id string, sharing pb.CacheSharingOpt) {
	t.Helper()
	for _, m := range e.Mounts {
		if m.Dest == dest && m.MountType == pb.MountType_CACHE {
			if m.CacheOpt.ID != id || m.CacheOpt.Sharing != sharing {
				t.Errorf("cache %s: id=%s sharing=%s, want id=%s sharing=%s", dest, m.CacheOpt.ID, m.CacheOpt.Sharing, id, sharing)
			}
			return
		}
	}
	t.Errorf("no cache mount at %s in %v", dest, e.Meta.Args)
}

func assertConfig(t *testing.T, res *llbgen.Result, runtime string, cmd []string, env string) {
	t.Helper()
	c := res.Config.Config
	if !slices.Equal(c.Cmd, cmd) {
		t.Errorf("CMD %q, want %q", c.Cmd, cmd)
	}
	if !slices.Equal(c.Entrypoint, []string{"/lambda-entrypoint.sh"}) || c.WorkingDir != "/var/task" {
		t.Errorf("entrypoint %q workdir %q, want the base's", c.Entrypoint, c.WorkingDir)
	}
	if !slices.Contains(c.Env, env) || slices.Contains(c.Env, "GREETING=base") {
		t.Errorf("env %q must have %s replacing the base's value", c.Env, env)
	}
	if c.Labels["from.base"] != "yes" || c.Labels[llbgen.LabelRuntime] != runtime || c.Labels[llbgen.LabelVersion] != "test" {
		t.Errorf("labels %v must keep the base's and add the frontend's", c.Labels)
	}
}

func TestEpochReachesTheCompileStage(t *testing.T) {
	s, opt := example(t, "python", amd64)
	epoch := time.Unix(1700000000, 0).UTC()
	opt.Epoch = &epoch
	res, g, _ := generate(t, s, opt)
	install := g.find("pip install")
	if install < 0 {
		t.Fatalf("no pip install:\n%s", g)
	}
	if env := g.ops[install].GetExec().Meta.Env; !slices.Contains(env, "SOURCE_DATE_EPOCH=1700000000") {
		t.Errorf("pip install env %v lacks SOURCE_DATE_EPOCH", env)
	}
	if res.Config.Created == nil || !res.Config.Created.Equal(epoch) {
		t.Errorf("created %v, want %v", res.Config.Created, epoch)
	}
}

// manyLayers resolves every image to a config with n layers.
type manyLayers int

func (n manyLayers) ResolveImage(ctx context.Context, ref string, p ocispecs.Platform) (llb.State, *dockerspec.DockerOCIImage, error) {
	st, img, err := baseImages{}.ResolveImage(ctx, ref, p)
	for i := range int(n) {
		img.RootFS.DiffIDs = append(img.RootFS.DiffIDs, digest.FromString(fmt.Sprint(i)))
	}
	return st, img, err
}

func TestManifestSizeLimit(t *testing.T) {
	for _, tc := range []struct {
		layers int
		fails  bool
	}{{10, false}, {100, false}, {120, true}} {
		s, opt := example(t, "python", amd64)
		opt.Images = manyLayers(tc.layers)
		_, err := llbgen.Generate(context.Background(), s, opt)
		var ce *llbgen.ContextError
		if failed := errors.As(err, &ce) && ce.Path == "base" && strings.Contains(ce.Msg, "over the 25400 Lambda accepts"); failed != tc.fails {
			t.Errorf("%d base layers: error %v, want failure %v", tc.layers, err, tc.fails)
		}
	}
}

// TestOutputSpellingsAreOneOutput: "./", "a/.." and "." name the same
// directory, so they must build the same LLB, exclusions included; once
// "./" skipped them and shipped a requirements.txt with credentials.
func TestOutputSpellingsAreOneOutput(t *testing.T) {
	for _, tc := range []struct{ example, yaml string }{
		{"python", "runtime: python3.12\nhandler: app.handler\nbuild:\n  output: %s\n"},
		{"nodejs", "runtime: nodejs22\nhandler: dist/app.handler\nbuild:\n  commands: [npm run build]\n  output: %s\n"},
	} {
		s, opt := exampleWith(t, tc.example, fmt.Sprintf(tc.yaml, "."), amd64)
		_, _, want := generate(t, s, opt)
		wantHead, _ := want.Head()
		for _, spelling := range []string{"./", "a/..", "./a/../"} {
			s, opt := exampleWith(t, tc.example, fmt.Sprintf(tc.yaml, spelling), amd64)
			_, _, got := generate(t, s, opt)
			if head, _ := got.Head(); head != wantHead {
				t.Errorf("%s: build.output %q builds %s, but \".\" builds %s", tc.example, spelling, head, wantHead)
			}
		}
	}
}

// TestGoVersionFromGoMod: the toolchain line wins over the go line.
func TestGoVersionFromGoMod(t *testing.T) {
	for _, tc := range []struct{ mod, image string }{
		{"module m\n\ngo 1.22\n", "golang:1.22"},
		{"module m\n\ngo 1.22\n\ntoolchain go1.23.4\n", "golang:1.23.4"},
		{"module m\n\ngo 1.22.1\ntoolchain default\n", "golang:1.22.1"},
	} {
		s, opt := example(t, "go", amd64)
		opt.Files["go.mod"] = []byte(tc.mod)
		_, g, _ := generate(t, s, opt)
		assertSources(t, g, "docker-image://docker.io/library/"+tc.image, "docker-image://public.ecr.aws/lambda/provided:al2023")
	}
}

// TestPythonLockfiles: each lock is read into the exact list pip installs,
// with --no-deps and --require-hashes; requirements.txt is installed as it
// is, and a pyproject.toml without a lock unpinned.
func TestPythonLockfiles(t *testing.T) {
	lock := func(name string) []byte {
		dt, err := os.ReadFile(filepath.Join("..", "pythonlock", "testdata", name))
		if err != nil {
			t.Fatal(err)
		}
		return dt
	}
	for _, tc := range []struct {
		name  string
		files map[string][]byte
		step  string
		// list is the requirements file the frontend writes, or "" when
		// pip reads requirements.txt from the context.
		list   string
		hashes bool
	}{{
		name: "uv", files: map[string][]byte{"uv.lock": lock("uv.lock"), "pyproject.toml": []byte("[project]\nname = \"fn\"\n")},
		step: "pip install -r uv.lock", hashes: true,
		list: "numpy==2.1.0 \\\n    --hash=sha256:fff\npysocks==1.7.1 \\\n    --hash=sha256:ddd\nrequests==2.32.3 \\\n    --hash=sha256:aaa \\\n    --hash=sha256:bbb\nurllib3==2.2.3 \\\n    --hash=sha256:ccc\n",
	}, {
		name: "poetry", files: map[string][]byte{"poetry.lock": lock("poetry.lock"), "pyproject.toml": lock("poetry-pyproject.toml")},
		step: "pip install -r poetry.lock", hashes: true,
		list: "click==8.1.7 \\\n    --hash=sha256:c1 \\\n    --hash=sha256:c2\nh2==4.1.0 \\\n    --hash=sha256:h2\nhttpx==0.27.2 \\\n    --hash=sha256:hx\nsniffio==1.3.1 \\\n    --hash=sha256:sn\n",
	}, {
		name: "pipenv", files: map[string][]byte{"Pipfile": nil, "Pipfile.lock": lock("Pipfile.lock")},
		step: "pip install -r Pipfile.lock", hashes: true, list: "requests==2.32.3 \\\n    --hash=sha256:r1 \\\n    --hash=sha256:r2\n",
	}, {
		name: "a lock wins over requirements.txt", files: map[string][]byte{"Pipfile.lock": lock("Pipfile.lock"), "requirements.txt": []byte("x\n")},
		step: "pip install -r Pipfile.lock", hashes: true, list: "requests==2.32.3 \\\n    --hash=sha256:r1 \\\n    --hash=sha256:r2\n",
	}, {
		name: "pyproject without a lock", files: map[string][]byte{"pyproject.toml": []byte("[project]\nname = \"fn\"\ndependencies = [\"humanize>=4\"]\n")},
		step: "pip install -r pyproject.toml", list: "humanize>=4\n",
	}, {
		name: "requirements.txt", files: map[string][]byte{"requirements.txt": []byte("humanize==4.4.0\n")},
		step: "pip install -r requirements.txt",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			s, opt := example(t, "python", arm64)
			opt.Files = tc.files
			_, g, _ := generate(t, s, opt)
			install := g.named(tc.step)
			if install < 0 {
				t.Fatalf("no step %q:\n%s", tc.step, g)
			}
			args := g.ops[install].GetExec().Meta.Args
			if got := slices.Contains(args, "--require-hashes") && slices.Contains(args, "--no-deps"); got != tc.hashes {
				t.Errorf("pip args %q: --no-deps --require-hashes %v, want %v", args, got, tc.hashes)
			}
			if !slices.Contains(args, "manylinux_2_34_aarch64") {
				t.Errorf("pip args %q do not fetch for arm64", args)
			}
			mk := g.find("requirements read from")
			if tc.list == "" {
				if mk >= 0 {
					t.Errorf("a requirements list was written for requirements.txt")
				}
				return
			}
			if mk < 0 {
				t.Fatalf("no requirements list:\n%s", g)
			}
			if got := string(g.ops[mk].GetFile().Actions[0].GetMkfile().Data); got != tc.list {
				t.Errorf("requirements list\n%s\nwant\n%s", got, tc.list)
			}
		})
	}
}

// TestNodeManagers: the lockfile, or package.json's packageManager, picks
// the manager; each installs all dependencies for the build and the
// production ones for the image, for the target's platform.
func TestNodeManagers(t *testing.T) {
	const pkg = `{"name":"fn","dependencies":{"ms":"2.1.3"}}`
	withPM := func(pm string) []byte { return []byte(`{"name":"fn","packageManager":"` + pm + `"}`) }
	for _, tc := range []struct {
		name  string
		files map[string][]byte
		// tool is the package manager installed with npm, if any.
		tool string
		// all and prod are the install commands; prod's for arm64.
		all, prod, cache string
		// prune says a step removes other platforms' packages.
		prune bool
		deps  llbgen.Dependencies
	}{{
		name: "npm", files: map[string][]byte{"package.json": []byte(pkg), "package-lock.json": nil, ".npmrc": nil},
		all: "npm ci", prod: "npm ci --omit=dev --os=linux --cpu=arm64 --libc=glibc", cache: "/root/.npm",
		deps: llbgen.Dependencies{Manager: "npm", Lockfile: "package-lock.json", Locked: true},
	}, {
		name: "no lockfile", files: map[string][]byte{"package.json": []byte(pkg)},
		all: "npm install --no-package-lock", prod: "npm install --no-package-lock --omit=dev --os=linux --cpu=arm64 --libc=glibc", cache: "/root/.npm",
		deps: llbgen.Dependencies{Manager: "npm", Lockfile: "package.json", Lock: "npm install, then commit package-lock.json"},
	}, {
		name: "pnpm", files: map[string][]byte{"package.json": []byte(pkg), "pnpm-lock.yaml": nil},
		tool: "pnpm@10.34.9", all: "pnpm install --frozen-lockfile --store-dir=/root/.cache/pnpm-store", cache: "/root/.cache/pnpm-store",
		prod: "pnpm install --frozen-lockfile --prod --store-dir=/root/.cache/pnpm-store --config.node-linker=hoisted --os=linux --cpu=arm64 --libc=glibc",
		deps: llbgen.Dependencies{Manager: "pnpm", Version: "10.34.9", Lockfile: "pnpm-lock.yaml", Locked: true},
	}, {
		name: "pnpm pinned by packageManager", files: map[string][]byte{"package.json": withPM("pnpm@10.15.0+sha512.abc"), "pnpm-lock.yaml": nil},
		tool: "pnpm@10.15.0", all: "pnpm install --frozen-lockfile --store-dir=/root/.cache/pnpm-store", cache: "/root/.cache/pnpm-store",
		prod: "pnpm install --frozen-lockfile --prod --store-dir=/root/.cache/pnpm-store --config.node-linker=hoisted --os=linux --cpu=arm64 --libc=glibc",
		deps: llbgen.Dependencies{Manager: "pnpm", Version: "10.15.0", Lockfile: "pnpm-lock.yaml", Locked: true},
	}, {
		name: "yarn classic", files: map[string][]byte{"package.json": []byte(pkg), "yarn.lock": []byte("# yarn lockfile v1\n")},
		tool: "yarn@1.22.22", all: "yarn install --frozen-lockfile --non-interactive --cache-folder /root/.cache/yarn", cache: "/root/.cache/yarn",
		prod: "yarn install --frozen-lockfile --non-interactive --production --cache-folder /root/.cache/yarn --ignore-platform", prune: true,
		deps: llbgen.Dependencies{Manager: "yarn", Version: "1.22.22", Lockfile: "yarn.lock", Locked: true},
	}, {
		name: "yarn berry", files: map[string][]byte{"package.json": []byte(pkg), "yarn.lock": []byte("__metadata:\n  version: 8\n"), ".yarnrc.yml": nil},
		tool: "@yarnpkg/cli-dist@4.18.1", all: "yarn install --immutable", cache: "/root/.yarn/berry/cache",
		prod: "yarn workspaces focus --all --production",
		deps: llbgen.Dependencies{Manager: "yarn", Version: "4.18.1", Lockfile: "yarn.lock", Locked: true},
	}, {
		name: "bun", files: map[string][]byte{"package.json": []byte(pkg), "bun.lock": nil},
		tool: "bun@1.4.5", all: "bun install --frozen-lockfile", cache: "/root/.bun/install/cache",
		prod: "bun install --frozen-lockfile --production --os=linux --cpu=arm64",
		deps: llbgen.Dependencies{Manager: "bun", Version: "1.4.5", Lockfile: "bun.lock", Locked: true},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			// Build commands use the full install; without them it is not
			// part of the image's graph.
			s, opt := exampleWith(t, "nodejs", "runtime: nodejs22\nhandler: app.handler\nbuild:\n  commands: [npm run build]\n", arm64)
			opt.Files = tc.files
			res, g, _ := generate(t, s, opt)
			if got := llbgen.DependenciesOf(s, tc.files); got != tc.deps {
				t.Errorf("dependencies %+v, want %+v", got, tc.deps)
			}
			tool := g.find("npm install --global")
			if (tool >= 0) != (tc.tool != "") || tool >= 0 && !slices.Contains(g.ops[tool].GetExec().Meta.Args, tc.tool) {
				t.Errorf("tool install step %d, want one installing %q:\n%s", tool, tc.tool, g)
			}
			for _, cmd := range []string{tc.all, tc.prod} {
				i := slices.IndexFunc(g.ops, func(op *pb.Op) bool { return strings.Join(op.GetExec().GetMeta().GetArgs(), " ") == cmd })
				if i < 0 {
					t.Fatalf("no step runs %q:\n%s", cmd, g)
				}
				if !slices.ContainsFunc(g.ops[i].GetExec().Mounts, func(m *pb.Mount) bool { return m.Dest == tc.cache && m.MountType == pb.MountType_CACHE }) {
					t.Errorf("%q does not mount its cache %s", cmd, tc.cache)
				}
				// The tool is first on the PATH, the image's PATH after it.
				wantPath := "PATH=/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin"
				if tc.tool != "" {
					wantPath = "PATH=/opt/buildkit-lambda/package-manager/bin:/var/lang/bin:/usr/local/bin:/usr/bin/:/bin:/opt/bin"
				}
				if env := g.ops[i].GetExec().Meta.Env; !slices.Contains(env, wantPath) {
					t.Errorf("%q runs with %q, want %s", cmd, env, wantPath)
				}
			}
			if got := g.find("remove the packages of other platforms") >= 0; got != tc.prune {
				t.Errorf("pruning step %v, want %v", got, tc.prune)
			}
			if tc.name == "yarn berry" && g.find("supportedArchitectures for arm64") < 0 {
				t.Errorf("no ~/.yarnrc.yml with the target's architecture:\n%s", g)
			}
			if !slices.ContainsFunc(res.Caches, func(c llbgen.CacheMount) bool { return c.Target == tc.cache }) {
				t.Errorf("the outline's caches %+v lack %s", res.Caches, tc.cache)
			}
		})
	}
}

// TestNodeWorkspace: a function that is one package of an npm or pnpm
// workspaces monorepo installs the root's lockfile, ships its own
// production closure, and its workspace dependencies as real directories
// in the code layer.
func TestNodeWorkspace(t *testing.T) {
	for _, tc := range []struct {
		fixture, prod string
		// args are what the production install must have; modules is the
		// node_modules it fills, and links what the dependency layer
		// leaves out of it: npm links every workspace package there, pnpm
		// those that are dependencies.
		args    []string
		modules string
		links   []string
		// nests: the install leaves conflicting versions in the
		// workspaces' own node_modules, which a step moves into place.
		nests bool
	}{{
		fixture: "monorepo", prod: "npm ci --omit=dev",
		args: []string{"--workspace=services/orders", "--cpu=arm64"}, modules: "/build/node_modules",
		links: []string{"@acme/greet", "@acme/orders", "@acme/users"}, nests: true,
	}, {
		fixture: "monorepo-pnpm", prod: "pnpm --filter ./services/orders deploy",
		args:    []string{"--prod", "--frozen-lockfile", "--config.node-linker=hoisted", "--config.inject-workspace-packages=true", "/deploy", "--cpu=arm64"},
		modules: "/deploy/node_modules", links: []string{"@acme/greet"},
	}, {
		fixture: "monorepo-yarn", prod: "yarn workspaces focus @acme/orders --production",
		args: []string{"focus", "@acme/orders", "--production"}, modules: "/build/node_modules",
		links: []string{"@acme/greet", "@acme/orders", "@acme/users"}, nests: true,
	}} {
		t.Run(tc.fixture, func(t *testing.T) {
			s, files := e2eFixture(t, tc.fixture, "services/orders/lambda.yaml")
			opt := llbgen.Options{TargetPlatform: &arm64, BuildPlatform: amd64, Context: llb.Local("context", llb.SessionID("test")),
				Files: files, Images: baseImages{}, MergeOp: true}
			_, g, _ := generate(t, s, opt)

			prod := g.find(tc.prod)
			if prod < 0 {
				t.Fatalf("no production install %q:\n%s", tc.prod, g)
			}
			if args := g.ops[prod].GetExec().Meta.Args; !containsAll(args, tc.args) {
				t.Errorf("production install %q: want %q, the workspace's closure for arm64", args, tc.args)
			}
			if cp := g.ops[g.find("copy every package.json")].GetFile().Actions[0].GetCopy(); !slices.Contains(cp.IncludePatterns, "**/package.json") {
				t.Errorf("the manifests copy includes %q; the install needs every workspace's package.json", cp.IncludePatterns)
			}
			deps := g.ops[g.find("production node_modules")].GetFile().Actions
			if cp := deps[0].GetCopy(); cp.Src != tc.modules || !slices.Equal(cp.ExcludePatterns, tc.links) {
				t.Errorf("the dependency layer copies %s leaving out %q; want %s without %q", cp.Src, cp.ExcludePatterns, tc.modules, tc.links)
			}
			if src := deps[1].GetCopy().Src; src != "/build/services/orders/package.json" {
				t.Errorf("the task root's package.json comes from %s", src)
			}
			nested := g.find("move the workspace's own node_modules into place")
			switch {
			case !tc.nests && nested >= 0:
				t.Errorf("a step moves the workspace's own node_modules, which this manager does not leave")
			case tc.nests && nested < 0:
				t.Errorf("no step moves the workspace's own node_modules into place:\n%s", g)
			case tc.nests:
				want := []string{tc.modules, "/build/services/orders", "/workspace-node_modules", "@acme/greet", "/build/packages/greet"}
				if args := g.ops[nested].GetExec().Meta.Args; !slices.Equal(args[3:], want) {
					t.Errorf("the nested node_modules step gets %q; want %q", args[3:], want)
				}
				if len(deps) != 3 || deps[2].GetCopy().Src != "/workspace-node_modules" || deps[2].GetCopy().Dest != "/var/task/node_modules" {
					t.Errorf("the dependency layer %v does not copy the workspace packages' own node_modules into /var/task/node_modules", deps)
				}
			}
			code := g.ops[g.find("copy services/orders to /var/task")].GetFile().Actions
			if len(code) != 2 || code[0].GetCopy().Src != "/services/orders" || code[1].GetCopy().Src != "/packages/greet" || code[1].GetCopy().Dest != "/var/task/node_modules/@acme/greet" {
				t.Errorf("the code layer copies %v; want the workspace, then packages/greet as node_modules/@acme/greet", code)
			}
		})
	}
}

// TestWorkspaceNestedModulesStep: the step that moves a workspace's own
// node_modules into place runs where the install may leave some: where
// npm's lockfile puts a package under the workspace or a workspace package
// it depends on, and for every yarn 2+ workspace, whose lockfile does not
// say. pnpm deploy writes a tree of its own.
func TestWorkspaceNestedModulesStep(t *testing.T) {
	for _, tc := range []struct {
		fixture, service string
		want             bool
	}{
		{"monorepo", "orders", true},
		{"monorepo", "users", false},
		{"monorepo-yarn", "users", true},
		{"monorepo-pnpm", "orders", false},
	} {
		s, files := e2eFixture(t, tc.fixture, "services/"+tc.service+"/lambda.yaml")
		opt := llbgen.Options{TargetPlatform: &amd64, BuildPlatform: amd64, Context: llb.Local("context", llb.SessionID("test")),
			Files: files, Images: baseImages{}, MergeOp: true}
		_, g, _ := generate(t, s, opt)
		if got := g.find("move the workspace's own node_modules into place") >= 0; got != tc.want {
			t.Errorf("%s %s: the nested node_modules step is there: %v, want %v", tc.fixture, tc.service, got, tc.want)
		}
	}
}

// TestWorkspaceFunctionsShareNoContextStep: two functions of one monorepo
// share no step that reads the build context, only sources and what is
// read of the base image. docker buildx bake builds them at once, and
// BuildKit re-runs cached steps of one build when another runs a step they
// share (see copyWorkspaceManifests).
func TestWorkspaceFunctionsShareNoContextStep(t *testing.T) {
	for _, fixture := range []string{"monorepo", "monorepo-pnpm", "monorepo-yarn"} {
		t.Run(fixture, func(t *testing.T) {
			var graphs [2]*graph
			for i, service := range []string{"orders", "users"} {
				s, files := e2eFixture(t, fixture, "services/"+service+"/lambda.yaml")
				opt := llbgen.Options{TargetPlatform: &amd64, BuildPlatform: amd64, Context: llb.Local("context", llb.SessionID("test")),
					Files: files, Images: baseImages{}, MergeOp: true}
				_, graphs[i], _ = generate(t, s, opt)
			}
			orders, users := graphs[0], graphs[1]
			context := orders.source("local://context")
			if context < 0 {
				t.Fatalf("no build context in the graph:\n%s", orders)
			}
			for dgst, i := range orders.index {
				if _, shared := users.index[dgst]; shared && orders.dependsOn(i, context) {
					t.Errorf("orders and users share %q, which reads the build context", orders.name(i))
				}
			}
		})
	}
}

// e2eFixture loads the lambda.yaml at file in an end-to-end test's project,
// test/e2e/testdata/NAME, with the context files the build would read.
func e2eFixture(t *testing.T, name, file string) (*lambdafile.File, map[string][]byte) {
	t.Helper()
	root := filepath.Join("..", "test", "e2e", "testdata", name)
	yaml, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(file)))
	if err != nil {
		t.Fatal(err)
	}
	return loadProject(t, root, yaml)
}

// loadProject loads yaml as a lambda.yaml of the project in dir, with the
// files of dir the build would read of its context.
func loadProject(t *testing.T, dir string, yaml []byte) (*lambdafile.File, map[string][]byte) {
	t.Helper()
	s, err := lambdafile.Load("lambda.yaml", yaml)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, f := range llbgen.ProbeFiles(s) {
		if dt, err := os.ReadFile(filepath.Join(dir, f)); err == nil {
			files[f] = dt
		}
	}
	return s, files
}

// containsAll says whether list holds every one of want.
func containsAll(list, want []string) bool {
	for _, w := range want {
		if !slices.Contains(list, w) {
			return false
		}
	}
	return true
}

// TestContextErrors: what the build context holds that a build cannot use
// is an error at the lambda.yaml path it concerns, saying what to do.
func TestContextErrors(t *testing.T) {
	root := filepath.Join("..", "test", "e2e", "testdata", "monorepo")
	lock, err := os.ReadFile(filepath.Join(root, "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	pnpmLock, err := os.ReadFile(filepath.Join(root+"-pnpm", "pnpm-lock.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	node := "runtime: nodejs22\nhandler: app.handler\n"
	workspace := "runtime: nodejs22\nworkspace: %s\nhandler: index.handler\n"
	for _, tc := range []struct {
		name, example, yaml string
		files               map[string][]byte
		path, msg           string
	}{
		{"pipfile without lock", "python", "", map[string][]byte{"Pipfile": nil}, "runtime", "run pipenv lock"},
		{"poetry dependencies without lock", "python", "", map[string][]byte{"pyproject.toml": []byte("[tool.poetry.dependencies]\npython = \"^3.12\"\nhttpx = \"*\"\n")}, "runtime", "run poetry lock"},
		{"poetry lock without pyproject", "python", "", map[string][]byte{"poetry.lock": []byte("")}, "runtime", "no pyproject.toml beside it"},
		{"broken uv.lock", "python", "", map[string][]byte{"uv.lock": []byte("[[package")}, "runtime", "reading uv.lock"},
		{"invalid package.json", "nodejs", node, map[string][]byte{"package.json": []byte("{\n  \"name\": \"fn\",\n}")}, "runtime", "package.json is not valid JSON (line 3"},
		{"unknown manager", "nodejs", node, map[string][]byte{"package.json": []byte(`{"packageManager":"deno@2.0.0"}`)}, "runtime", `packageManager "deno@2.0.0" is not one the frontend installs with`},
		{"manager without version", "nodejs", node, map[string][]byte{"package.json": []byte(`{"packageManager":"pnpm"}`)}, "runtime", "has no exact version"},
		{"manager without its lockfile", "nodejs", node, map[string][]byte{"package.json": []byte(`{"packageManager":"pnpm@10.1.0"}`), "package-lock.json": nil}, "runtime", "there is no pnpm-lock.yaml beside it"},
		{"lockfile without package.json", "nodejs", node, map[string][]byte{"yarn.lock": nil}, "runtime", "yarn.lock has no package.json beside it"},
		{"Gemfile.lock without Gemfile", "ruby", "", map[string][]byte{"Gemfile.lock": nil}, "runtime", "Gemfile.lock has no Gemfile beside it"},
		{"not a workspace", "nodejs", fmt.Sprintf(workspace, "services/payments"), map[string][]byte{"package.json": []byte(`{}`), "package-lock.json": lock}, "workspace", "services/payments is not a workspace of the root package.json"},
		{"yarn 1 workspaces", "nodejs", fmt.Sprintf(workspace, "services/orders"), map[string][]byte{"package.json": []byte(`{}`), "yarn.lock": nil}, "workspace", "yarn 1.22.22 workspaces are not supported yet"},
		{"not a pnpm workspace", "nodejs", fmt.Sprintf(workspace, "services/payments"), map[string][]byte{"package.json": []byte(`{}`), "pnpm-lock.yaml": pnpmLock}, "workspace", "services/payments is not a package of the pnpm workspace"},
		{"pnpm lockfile of no workspace", "nodejs", fmt.Sprintf(workspace, "services/orders"), map[string][]byte{"package.json": []byte(`{}`), "pnpm-lock.yaml": []byte("lockfileVersion: '9.0'\n")}, "workspace", "it is not a workspace's lockfile"},
		{"broken pnpm lockfile", "nodejs", fmt.Sprintf(workspace, "services/orders"), map[string][]byte{"package.json": []byte(`{}`), "pnpm-lock.yaml": []byte("importers: [\n")}, "workspace", "reading pnpm-lock.yaml"},
		{"workspace without lockfile", "nodejs", fmt.Sprintf(workspace, "services/orders"), map[string][]byte{"package.json": []byte(`{}`)}, "workspace", "workspace needs the monorepo's lockfile"},
	} {
		s, opt := example(t, tc.example, amd64)
		if tc.yaml != "" {
			s, opt = exampleWith(t, tc.example, tc.yaml, amd64)
		}
		opt.Files = tc.files
		_, err := llbgen.Generate(context.Background(), s, opt)
		var ce *llbgen.ContextError
		if !errors.As(err, &ce) || ce.Path != tc.path || !strings.Contains(ce.Msg, tc.msg) {
			t.Errorf("%s: got %v, want a ContextError at %s saying %q", tc.name, err, tc.path, tc.msg)
		}
	}
}
