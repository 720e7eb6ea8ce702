package e2e

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/internal/golden"
	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

var _ = golden.Update // every test binary takes -update

// env names the environment hack/env-up.sh starts.
var env = struct{ builder, registry string }{
	builder:  getenv("BKL_BUILDER", "buildkit-lambda"),
	registry: "localhost:" + getenv("BKL_REGISTRY_PORT", "5000"),
}

func getenv(k, def string) string {
	if v := os.Getenv(k); v != "" {
		return v
	}
	return def
}

// requireEnv skips under -short and fails when the environment is not up.
func requireEnv(t *testing.T) {
	t.Helper()
	if testing.Short() {
		t.Skip("end-to-end test: skipped because -short was given")
	}
	if out, err := exec.Command("docker", "buildx", "inspect", env.builder).CombinedOutput(); err != nil {
		t.Fatalf("buildx builder %s is not there (run make test, which starts it): %v\n%s", env.builder, err, out)
	}
}

var frontendImage = sync.OnceValues(func() (string, error) {
	ref := env.registry + "/buildkit-lambda/frontend:e2e"
	out, err := buildx(context.Background(), "../..", "--provenance=false", "-t", ref, "--push", ".")
	if err != nil {
		return "", fmt.Errorf("building the frontend image: %w\n%s", err, out)
	}
	return ref, nil
})

// frontendRef is the frontend image's reference, for goroutines that cannot
// fail a test; a test must have called frontend first.
func frontendRef() string {
	ref, _ := frontendImage()
	return ref
}

// frontend builds and pushes the frontend image once per test run.
func frontend(t *testing.T) string {
	t.Helper()
	ref, err := frontendImage()
	if err != nil {
		t.Fatal(err)
	}
	return ref
}

// buildx runs docker buildx build on the test builder in dir and returns
// everything it printed.
func buildx(ctx context.Context, dir string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, "docker", append([]string{"buildx", "build", "--builder", env.builder}, args...)...)
	cmd.Dir = dir
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// buildYAML runs docker buildx build on the lambda.yaml in dir with the
// frontend under test; args come before the context argument.
func buildYAML(t *testing.T, dir string, args ...string) (string, error) {
	t.Helper()
	return buildFile(t, dir, "lambda.yaml", args...)
}

// buildFile is buildYAML for the lambda.yaml at file, relative to dir.
func buildFile(t *testing.T, dir, file string, args ...string) (string, error) {
	t.Helper()
	all := append([]string{"-f", file, "--build-arg", "BUILDKIT_SYNTAX=" + frontend(t)}, args...)
	return buildx(context.Background(), dir, append(all, ".")...)
}

// buildFails runs buildYAML, which must fail with an output that holds
// every string of want and no Go stack trace.
func buildFails(t *testing.T, dir string, want []string, args ...string) {
	t.Helper()
	out, err := buildYAML(t, dir, args...)
	if err == nil {
		t.Fatalf("the build succeeded:\n%s", out)
	}
	for _, w := range want {
		if !strings.Contains(out, w) {
			t.Errorf("output lacks %q:\n%s", w, out)
		}
	}
	if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic:") {
		t.Errorf("output has a Go stack trace:\n%s", out)
	}
}

// buildExample builds a lambda.yaml in dir with the frontend under test,
// pushes it and returns its reference.
func buildExample(t *testing.T, dir, ref, platform string, extra ...string) string {
	t.Helper()
	out, err := buildYAML(t, dir, append([]string{"--platform", platform, "--provenance=false", "-t", ref, "--push"}, extra...)...)
	if err != nil {
		t.Fatalf("docker buildx build %s: %v\n%s", dir, err, out)
	}
	return ref
}

func image(t *testing.T, ref string) (v1.Image, *remote.Descriptor) {
	t.Helper()
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	desc, err := remote.Get(r)
	if err != nil {
		t.Fatalf("reading %s: %v", ref, err)
	}
	img, err := desc.Image()
	if err != nil {
		t.Fatalf("reading %s as an image: %v", ref, err)
	}
	return img, desc
}

// copyDir copies an example so a test can change it.
func copyDir(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	if err := os.CopyFS(dst, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	return dst
}

func examplePath(name string) string { return filepath.Join("..", "..", "examples", name) }

// exampleContext is an example's build context and the flags its builds
// need: the Python example's private index, and the Ruby example's gems
// from the loopback source.
func exampleContext(t *testing.T, name string) (dir string, flags []string) {
	t.Helper()
	switch name {
	case "python":
		return examplePath(name), pipSecret()
	case "ruby":
		dir = copyDir(t, examplePath(name))
		useGemSource(t, dir)
		return dir, nil
	}
	return examplePath(name), nil
}

// useGemSource points the Gemfile and Gemfile.lock of a copied project, if
// it has them, at the loopback gem source in place of rubygems.org, which
// cannot be reached here. Both change, or Bundler's deployment mode would
// refuse a lock whose source the Gemfile no longer names.
func useGemSource(t *testing.T, dir string) {
	t.Helper()
	for _, f := range []string{"Gemfile", "Gemfile.lock"} {
		p := filepath.Join(dir, f)
		data, err := os.ReadFile(p)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		data = bytes.ReplaceAll(data, []byte("https://rubygems.org"), []byte(strings.TrimSuffix(gemSourceURL, "/")))
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func writeFile(t *testing.T, path, content string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
}

func replaceInFile(t *testing.T, path, old, new string) {
	t.Helper()
	dt, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Contains(dt, []byte(old)) {
		t.Fatalf("%s has no %q", path, old)
	}
	writeFile(t, path, strings.Replace(string(dt), old, new, 1))
}

func readFile(t *testing.T, path string) string {
	t.Helper()
	dt, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(dt)
}
