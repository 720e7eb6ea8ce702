package e2e

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestNetworkFlagIsHonoured runs a build command that lists the network
// interfaces it sees: the builder's network by default, the loopback alone
// with --network none.
func TestNetworkFlagIsHonoured(t *testing.T) {
	requireEnv(t)
	dir := copyDir(t, examplePath("python"))
	os.Remove(filepath.Join(dir, "requirements.txt")) // no install: --network none would fail it
	writeFile(t, filepath.Join(dir, "lambda.yaml"),
		"runtime: python3.12\nhandler: app.handler\nbuild:\n  commands:\n    - ls /sys/class/net > interfaces.txt\n")
	interfaces := func(extra ...string) []string {
		dest := t.TempDir()
		out, err := buildYAML(t, dir, append([]string{"--target", "build", "-o", "type=local,dest=" + dest}, extra...)...)
		if err != nil {
			t.Fatalf("build %v: %v\n%s", extra, err, out)
		}
		dt, err := os.ReadFile(filepath.Join(dest, "interfaces.txt"))
		if err != nil {
			t.Fatal(err)
		}
		return strings.Fields(string(dt))
	}
	if got := interfaces("--network", "none"); strings.Join(got, " ") != "lo" {
		t.Errorf("--network none: the build command saw %v, want lo alone", got)
	}
	if got := interfaces(); len(got) < 2 {
		t.Errorf("default network: the build command saw %v; want the builder's network", got)
	}
}
