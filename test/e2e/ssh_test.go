package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestSSHForwarding starts an SSH agent and builds a function whose build
// command needs it: with --ssh the agent's socket is SSH_AUTH_SOCK, and
// without it the build fails naming the missing agent.
func TestSSHForwarding(t *testing.T) {
	requireEnv(t)
	sock := filepath.Join(t.TempDir(), "agent.sock")
	agent := exec.Command("ssh-agent", "-D", "-a", sock)
	if err := agent.Start(); err != nil {
		t.Fatalf("starting ssh-agent: %v", err)
	}
	t.Cleanup(func() { agent.Process.Kill(); agent.Wait() })
	for i := 0; i < 50; i++ {
		if _, err := os.Stat(sock); err == nil {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}

	dir := copyDir(t, examplePath("python"))
	// No dependencies: the handler imports nothing the image lacks.
	os.Remove(filepath.Join(dir, "requirements.txt"))
	writeFile(t, filepath.Join(dir, "app.py"), "def handler(event, context):\n    return {}\n")
	writeFile(t, filepath.Join(dir, "lambda.yaml"), "runtime: python3.12\nhandler: app.handler\nssh: true\nbuild:\n  commands:\n"+
		"    - test -S \"$SSH_AUTH_SOCK\" && echo \"agent at $SSH_AUTH_SOCK\"\n")
	build := func(extra ...string) (string, error) {
		return buildYAML(t, dir, append([]string{"--provenance=false", "--no-cache", "--progress", "plain"}, extra...)...)
	}
	out, err := build("--ssh", "default="+sock)
	if err != nil {
		t.Fatalf("build with --ssh: %v\n%s", err, out)
	}
	if !strings.Contains(out, "agent at /run/buildkit/ssh_agent.0") {
		t.Errorf("the build command did not see the agent:\n%s", out)
	}
	out, err = build()
	if err == nil {
		t.Fatalf("the build without --ssh succeeded:\n%s", out)
	}
	if !strings.Contains(out, "ssh") || !strings.Contains(out, "default") {
		t.Errorf("the failure does not name the missing SSH agent:\n%s", out)
	}
}
