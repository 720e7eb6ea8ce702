package e2e

import (
	"encoding/json"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// call runs docker buildx build --call in dir and returns the output and
// the exit code.
func call(t *testing.T, dir, method string, extra ...string) (string, int) {
	t.Helper()
	out, err := buildYAML(t, dir, append([]string{"--call", method}, extra...)...)
	if ee, ok := err.(*exec.ExitError); ok {
		return out, ee.ExitCode()
	}
	if err != nil {
		t.Fatalf("--call %s: %v\n%s", method, err, out)
	}
	return out, 0
}

func TestCallOutline(t *testing.T) {
	requireEnv(t)
	out, code := call(t, examplePath("nodejs"), "outline,format=json")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	var o struct {
		Name        string
		Description string
		Args        []struct {
			Name, Value string
			Location    *location
		}
		Secrets []struct {
			Name     string
			Location *location
		}
		Cache []struct{ ID string }
	}
	if err := json.Unmarshal([]byte(out[strings.Index(out, "{"):]), &o); err != nil {
		t.Fatalf("outline is not JSON: %v\n%s", err, out)
	}
	if o.Name != "image" {
		t.Errorf("target %q, want image", o.Name)
	}
	if !strings.Contains(o.Description, "dependencies: npm from package-lock.json") {
		t.Errorf("description %q does not name the package manager and lockfile", o.Description)
	}
	file := filepath.Join(examplePath("nodejs"), "lambda.yaml")
	if line := lineOf(t, file, "  LOG_LEVEL: info"); len(o.Args) != 1 || o.Args[0].Name != "LOG_LEVEL" || o.Args[0].Value != "info" || o.Args[0].Location.line() != line {
		t.Errorf("args %+v, want LOG_LEVEL=info declared on line %d", o.Args, line)
	}
	if line := lineOf(t, file, "  - id: npmrc"); len(o.Secrets) != 1 || o.Secrets[0].Name != "npmrc" || o.Secrets[0].Location.line() != line {
		t.Errorf("secrets %+v, want npmrc declared on line %d", o.Secrets, line)
	}
	var ids []string
	for _, c := range o.Cache {
		ids = append(ids, c.ID)
	}
	if !slices.Contains(ids, "buildkit-lambda/nodejs22/x86_64/npm") {
		t.Errorf("cache mounts %v lack the npm cache", ids)
	}

	text, _ := call(t, examplePath("nodejs"), "outline")
	for _, want := range []string{"LOG_LEVEL", "info", "npmrc"} {
		if !strings.Contains(text, want) {
			t.Errorf("outline text lacks %q:\n%s", want, text)
		}
	}
}

// lineOf is the number of the first line of file that is text.
func lineOf(t *testing.T, file, text string) int {
	t.Helper()
	i := slices.Index(strings.Split(readFile(t, file), "\n"), text)
	if i < 0 {
		t.Fatalf("%s has no line %q", file, text)
	}
	return i + 1
}

// location is a pb.Location as JSON.
type location struct {
	Ranges []struct{ Start struct{ Line int } }
}

func (l *location) line() int {
	if l == nil || len(l.Ranges) == 0 {
		return 0
	}
	return l.Ranges[0].Start.Line
}

func TestCallDescribe(t *testing.T) {
	requireEnv(t)
	out, code := call(t, examplePath("nodejs"), "subrequests.describe")
	if code != 0 {
		t.Fatalf("exit %d:\n%s", code, out)
	}
	for _, want := range []string{"outline", "targets", "lint", "subrequests.describe"} {
		if !strings.Contains(out, want+" ") {
			t.Errorf("describe lacks %s:\n%s", want, out)
		}
	}
}

func TestCheck(t *testing.T) {
	requireEnv(t)
	t.Run("example passes with info only", func(t *testing.T) {
		out, code := call(t, examplePath("nodejs"), "check")
		if code != 0 || !strings.Contains(out, "WARNING: ImageNotPinned") || !strings.Contains(out, "(info) public.ecr.aws/lambda/nodejs:22 is not pinned") {
			t.Fatalf("exit %d, want 0 with an ImageNotPinned info:\n%s", code, out)
		}
	})
	t.Run("warnings exit 0", func(t *testing.T) {
		dir := copyDir(t, examplePath("python"))
		writeFile(t, filepath.Join(dir, "lambda.yaml"), "runtime: python3.13\nhandler: app.handler\narchitecture: arm64\nenv:\n  DB_PASSWORD: hunter2\n")
		out, code := call(t, dir, "check", "--platform", "linux/amd64")
		if code != 0 {
			t.Errorf("exit %d for warnings alone, want 0", code)
		}
		for _, want := range []string{
			"WARNING: ArchitectureMismatch", "lambda.yaml says architecture: arm64", ">>> architecture: arm64",
			"WARNING: SecretInEnv", "DB_PASSWORD looks like a secret", ">>>   DB_PASSWORD: hunter2",
		} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
	t.Run("missing handler fails", func(t *testing.T) {
		dir := copyDir(t, examplePath("python"))
		writeFile(t, filepath.Join(dir, "lambda.yaml"), "runtime: python3.12\nhandler: main.handler\n")
		out, code := call(t, dir, "check")
		if code == 0 {
			t.Fatalf("exit 0, want non-zero for a missing handler:\n%s", out)
		}
		for _, want := range []string{"HandlerNotFound", "handler main.handler needs main.py, main/__init__.py, src/main.py or src/main/__init__.py", ">>> handler: main.handler"} {
			if !strings.Contains(out, want) {
				t.Errorf("output lacks %q:\n%s", want, out)
			}
		}
	})
}

// TestBuildArgs builds with a declared --build-arg, which reaches the
// image's env through ${LOG_LEVEL}, and a misspelt one, which is warned
// about.
func TestBuildArgs(t *testing.T) {
	requireEnv(t)
	ref := env.registry + "/e2e/args:latest"
	out, err := buildYAML(t, examplePath("nodejs"),
		"--build-arg", "LOG_LEVEL=debug", "--build-arg", "LOG_LEVL=trace", "--provenance=false", "-t", ref, "--push")
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	if !strings.Contains(out, `UndeclaredBuildArg: --build-arg LOG_LEVL: lambda.yaml declares no such build argument`) ||
		!strings.Contains(out, `did you mean "LOG_LEVEL"?`) {
		t.Errorf("no warning about LOG_LEVL:\n%s", out)
	}
	img, _ := image(t, ref)
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(cfg.Config.Env, "LOG_LEVEL=debug") {
		t.Errorf("env %q lacks LOG_LEVEL=debug", cfg.Config.Env)
	}
}
