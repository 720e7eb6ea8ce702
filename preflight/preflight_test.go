package preflight_test

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/preflight"
	"github.com/buildkit-lambda/buildkit-lambda/spec"
)

// elfFile is an ELF binary of this machine's architecture: the test binary.
func elfFile(t *testing.T) []byte {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dt, err := os.ReadFile(exe)
	if err != nil {
		t.Fatal(err)
	}
	return dt
}

func otherArch() string {
	if runtime.GOARCH == "arm64" {
		return "amd64"
	}
	return "arm64"
}

func TestRun(t *testing.T) {
	native := elfFile(t)
	type file struct {
		data []byte
		mode os.FileMode
		// sparse makes the file this big, with no data.
		sparse int64
	}
	js, py := file{data: []byte("exports.handler = 1"), mode: 0o644}, file{data: []byte("def handler(): pass"), mode: 0o644}
	for _, tc := range []struct {
		name  string
		in    preflight.Input
		files map[string]file
		// want is the problems, each "check: part of the message".
		want []string
	}{{
		name:  "node handler present",
		in:    preflight.Input{Runtime: spec.RuntimeNodeJS22, Handler: "src/app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/src/app.mjs": js},
	}, {
		name:  "node handler missing",
		in:    preflight.Input{Runtime: spec.RuntimeNodeJS22, Handler: "app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/index.js": js, "var/task/lib/x.js": js},
		want:  []string{"handler: handler app.handler needs /var/task/app.js or /var/task/app.mjs or /var/task/app.cjs, and the image has none; Lambda would fail every invocation with Runtime.ImportModuleError (Cannot find module). Check handler and build.output (the task root holds: index.js lib/)"},
	}, {
		name:  "python package handler",
		in:    preflight.Input{Runtime: spec.RuntimePython313, Handler: "pkg.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/pkg/__init__.py": py},
	}, {
		name:  "python handler missing",
		in:    preflight.Input{Runtime: spec.RuntimePython312, Handler: "pkg.app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/app.py": py},
		want:  []string{"handler: handler pkg.app.handler needs /var/task/pkg/app.py or /var/task/pkg/app/__init__.py"},
	}, {
		name:  "go bootstrap right",
		in:    preflight.Input{Runtime: spec.RuntimeGo, Handler: "bootstrap", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/runtime/bootstrap": {data: native, mode: 0o755}},
	}, {
		name:  "go bootstrap missing",
		in:    preflight.Input{Runtime: spec.RuntimeGo, Handler: "bootstrap", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/readme": {data: []byte("x"), mode: 0o644}},
		want:  []string{"bootstrap: there is no /var/runtime/bootstrap file; Lambda would fail every invocation with Runtime.InvalidEntrypoint"},
	}, {
		name:  "go bootstrap not executable",
		in:    preflight.Input{Runtime: spec.RuntimeGo, Handler: "bootstrap", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/runtime/bootstrap": {data: native, mode: 0o644}},
		want:  []string{"bootstrap: /var/runtime/bootstrap has mode 644 and is not executable"},
	}, {
		name:  "go bootstrap a script",
		in:    preflight.Input{Runtime: spec.RuntimeGo, Handler: "bootstrap", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/bootstrap": {data: []byte("#!/bin/sh\n"), mode: 0o755}},
		want:  []string{"bootstrap: /var/task/bootstrap is not an ELF executable"},
	}, {
		name:  "go bootstrap a package archive",
		in:    preflight.Input{Runtime: spec.RuntimeGo, Handler: "bootstrap", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/runtime/bootstrap": {data: []byte("!<arch>\n__.PKGDEF       0           0     0     644     262       `\n"), mode: 0o755}},
		want:  []string{"bootstrap: /var/runtime/bootstrap is a Go package archive, not a program: go.main names a package that is not package main"},
	}, {
		name:  "go bootstrap wrong arch",
		in:    preflight.Input{Runtime: spec.RuntimeGo, Handler: "bootstrap", GOARCH: otherArch()},
		files: map[string]file{"var/runtime/bootstrap": {data: native, mode: 0o755}},
		want:  []string{"but the image is for " + otherArch() + "; Lambda would fail with Runtime.InvalidEntrypoint (exec format error)"},
	}, {
		name: "native module of another arch",
		in:   preflight.Input{Runtime: spec.RuntimeNodeJS22, Handler: "app.handler", GOARCH: otherArch()},
		files: map[string]file{"var/task/app.js": js, "var/task/node_modules/sharp/build/sharp.node": {data: native, mode: 0o644},
			"var/task/lib/libz.so.1": {data: native, mode: 0o644}, "var/task/data.so": {data: []byte("not elf"), mode: 0o644}},
		want: []string{"native code: /var/task/lib/libz.so.1 is native code for", "native code: /var/task/node_modules/sharp/build/sharp.node is native code for"},
	}, {
		name: "unreadable",
		in:   preflight.Input{Runtime: spec.RuntimePython312, Handler: "app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/app.py": py, "var/task/config.ini": {data: []byte("x"), mode: 0o600},
			"opt/private": {data: []byte("outside what the frontend adds"), mode: 0o600}},
		want: []string{"permissions: /var/task/config.ini has mode 600; Lambda runs the function as a user that cannot read it"},
	}, {
		// A sparse file: its size counts, and it takes no disk.
		name:  "over the size limit",
		in:    preflight.Input{Runtime: spec.RuntimePython312, Handler: "app.handler", GOARCH: runtime.GOARCH},
		files: map[string]file{"var/task/app.py": py, "opt/model.bin": {sparse: preflight.MaxImageBytes + 1, mode: 0o644}},
		want:  []string{"size: the image holds 10.0 GiB of files; Lambda refuses images over 10 GiB uncompressed"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			root := t.TempDir()
			for name, f := range tc.files {
				p := filepath.Join(root, name)
				if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
					t.Fatal(err)
				}
				if err := os.WriteFile(p, f.data, f.mode); err != nil {
					t.Fatal(err)
				}
				if err := os.Chmod(p, f.mode); err != nil { // past the umask
					t.Fatal(err)
				}
				if f.sparse > 0 {
					if err := os.Truncate(p, f.sparse); err != nil {
						t.Fatal(err)
					}
				}
			}
			problems, err := preflight.Run(root, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if len(got) != len(tc.want) {
				t.Fatalf("problems:\n%s\nwant %d like:\n%s", strings.Join(got, "\n"), len(tc.want), strings.Join(tc.want, "\n"))
			}
			for i, w := range tc.want {
				if !strings.HasPrefix(got[i], w) && !strings.Contains(got[i], w) {
					t.Errorf("problem %d is %q, want %q", i, got[i], w)
				}
			}
		})
	}
}
