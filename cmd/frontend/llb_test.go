package main

import (
	"bytes"
	"github.com/buildkit-lambda/buildkit-lambda/internal/golden"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

var _ = golden.Update // every test binary takes -update

// TestPrintLLBRefusesWhatWouldHangOrLeak: frontend llb reads only regular
// files, bounded, and reports context problems at their line, as a build
// does.
func TestPrintLLBRefusesWhatWouldHangOrLeak(t *testing.T) {
	dir := t.TempDir()
	write := func(name, content string) string {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		return p
	}
	fifo := filepath.Join(dir, "fifo.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	node := write("node/lambda.yaml", "runtime: nodejs22\nhandler: app.handler\n")
	if err := os.Symlink("/etc/passwd", filepath.Join(dir, "node", "app.js")); err != nil {
		t.Fatal(err)
	}
	goFile := write("go/lambda.yaml", "# syntax=x\nruntime: go\n")
	manifestFIFO := write("py/lambda.yaml", "runtime: python3.12\nhandler: app.handler\n")
	write("py/app.py", "")
	if err := syscall.Mkfifo(filepath.Join(dir, "py", "requirements.txt"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"a device", []string{"-f", "/dev/zero", dir}, "reading /dev/zero: it is a device, not a regular file"},
		{"a FIFO", []string{"-f", fifo, dir}, "it is a FIFO, not a regular file"},
		{"no context", []string{"-f", node, filepath.Join(dir, "missing")}, "not a directory"},
		{"a handler linking out", []string{"-f", node, filepath.Join(dir, "node")}, "lambda.yaml:2:10: handler: SymlinkOutsideContext: app.js is a symbolic link to /etc/passwd"},
		{"a context error at its line", []string{"-f", goFile, filepath.Join(dir, "go")}, "lambda.yaml:2:10: runtime: runtime go needs go.mod"},
		{"a manifest that is a FIFO", []string{"-f", manifestFIFO, filepath.Join(dir, "py")}, "requirements.txt: it is a FIFO, not a regular file"},
	} {
		var out, warn bytes.Buffer
		err := printLLB(&out, &warn, tc.args)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: got %v, want an error with %q", tc.name, err, tc.want)
		}
	}
}
