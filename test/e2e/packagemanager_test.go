package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestPackageManagerOverride builds a project holding both npm's and
// pnpm's lockfiles: the lockfiles would choose npm, build.packageManager
// chooses pnpm at a version of its own, and the function runs.
func TestPackageManagerOverride(t *testing.T) {
	requireEnv(t)
	frontend(t)
	dir := copyDir(t, filepath.Join("testdata", "node-pnpm"))
	lock, err := os.ReadFile(filepath.Join("testdata", "node-npm", "package-lock.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The same dependencies under npm's name for the project.
	writeFile(t, filepath.Join(dir, "package-lock.json"), strings.ReplaceAll(string(lock), `"fn-npm"`, `"fn-pnpm"`))
	replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "handler: index.handler\n", "handler: index.handler\nbuild:\n  packageManager: pnpm@10.33.0\n")
	ref := env.registry + "/e2e/package-manager:amd64"
	out, err := buildYAML(t, dir, "--platform", "linux/amd64", "--provenance=false", "-t", ref, "--push", "--progress", "plain")
	if err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	for _, step := range []string{"npm install --global pnpm@10.33.0", "pnpm install --frozen-lockfile --prod"} {
		if !strings.Contains(out, step) {
			t.Errorf("the build has no step %q:\n%s", step, out)
		}
	}
	if strings.Contains(out, "] npm ci") {
		t.Errorf("npm ci ran, though build.packageManager chose pnpm:\n%s", out)
	}
	img, _ := image(t, ref)
	invokeAndCheck(t, img, `{"text":"","uptimeMs":7200000}`, map[string]any{"hash": "2cc5d05", "uptime": "2 hours"})
}
