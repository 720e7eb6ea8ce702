package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCallTargets(t *testing.T) {
	requireEnv(t)
	out, err := buildYAML(t, examplePath("nodejs"), "--call", "targets")
	if err != nil {
		t.Fatalf("--call targets: %v\n%s", err, out)
	}
	for _, want := range []string{"image (default)", "zip ", "layer ", "build ", "deps "} {
		if !strings.Contains(out, want) {
			t.Errorf("--call targets output lacks %q:\n%s", want, out)
		}
	}
}

// TestBuildTargetHandsOverArtifacts exports the compile stage's output with
// --target build and checks it holds the compiled code and nothing else.
func TestBuildTargetHandsOverArtifacts(t *testing.T) {
	requireEnv(t)
	dest := t.TempDir()
	out, err := buildYAML(t, examplePath("nodejs"), "--target", "build", "-o", "type=local,dest="+dest)
	if err != nil {
		t.Fatalf("--target build: %v\n%s", err, out)
	}
	if _, err := os.Stat(filepath.Join(dest, "app.js")); err != nil {
		t.Errorf("the build target lacks app.js, the compiled dist/: %v", err)
	}
	for _, absent := range []string{"node_modules", "src", "package-lock.json"} {
		if _, err := os.Stat(filepath.Join(dest, absent)); err == nil {
			t.Errorf("the build target has %s; it must hold build.output alone", absent)
		}
	}
}
