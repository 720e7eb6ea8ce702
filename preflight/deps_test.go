package preflight_test

import (
	"archive/zip"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/preflight"
)

// TestPrepareDeps checks a dependency layer on its own, then the code on
// the stand-in PrepareDeps keeps of it, as the build's two steps do: each
// problem is found by one of the two, and what the code's checks need of
// the dependencies (paths, modes, the handler's file, a handler class in a
// jar, their size) survives the stand-in.
func TestPrepareDeps(t *testing.T) {
	native := elfFile(t)
	py := file{data: []byte("def handler(): pass"), mode: 0o644}
	pythonIn := preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: runtime.GOARCH, BaseModules: []string{"json", "os"}}
	for _, tc := range []struct {
		name       string
		in         preflight.Input
		deps, code map[string]file
		// depsWant and codeWant are the start of each problem PrepareDeps
		// and then Run find.
		depsWant, codeWant []string
	}{{
		name: "python dependencies with native code, imported by the code",
		in:   pythonIn,
		deps: map[string]file{
			"var/task/numpy/__init__.py":                           py,
			"var/task/numpy/_core.cpython-312-x86_64-linux-gnu.so": {data: native, mode: 0o755},
			"var/task/numpy-2.0.dist-info/METADATA":                py,
		},
		code: map[string]file{"var/task/app.py": {data: []byte("import json\nimport numpy\ndef handler(): pass\n"), mode: 0o644}},
	}, {
		name:     "native code of another architecture",
		in:       preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: otherArch(), BaseModules: []string{"os"}},
		deps:     map[string]file{"var/task/fast.so": {data: native, mode: 0o644}},
		code:     map[string]file{"var/task/app.py": py},
		depsWant: []string{"native code: /var/task/fast.so is native code for"},
	}, {
		name:     "an unreadable dependency",
		in:       pythonIn,
		deps:     map[string]file{"var/task/secret.py": {data: []byte("x"), mode: 0o600}},
		code:     map[string]file{"var/task/app.py": py},
		depsWant: []string{"permissions: /var/task/secret.py has mode 600"},
	}, {
		name:     "a missing dependency is the code's problem",
		in:       pythonIn,
		deps:     map[string]file{"var/task/requests/__init__.py": py},
		code:     map[string]file{"var/task/app.py": {data: []byte("import requests, pydantic\n"), mode: 0o644}},
		codeWant: []string{"imports: /var/task/app.py imports pydantic, which the image does not have"},
	}, {
		// The project installed as a package: the handler's file is a
		// dependency, and the imports check reads it through a link.
		name: "the handler among the dependencies",
		in:   pythonIn,
		deps: map[string]file{
			"var/task/app.py":         {link: "project/app.py"},
			"var/task/project/app.py": {data: []byte("import missingmod\n"), mode: 0o644},
		},
		code:     map[string]file{"var/task/config.json": {data: []byte("{}"), mode: 0o644}},
		codeWant: []string{"imports: /var/task/app.py imports missingmod"},
	}, {
		name: "a java handler class in a dependency's jar",
		in:   preflight.Input{Runtime: "java21", Handler: "example.Handler::handleRequest", GOARCH: runtime.GOARCH},
		deps: map[string]file{
			"var/task/lib/adapter.jar": {data: jar(t, map[string][]byte{"example/Handler.class": []byte("\xca\xfe\xba\xbe")}), mode: 0o644},
			"var/task/lib/other.jar":   {data: jar(t, map[string][]byte{"example/Other.class": nil}), mode: 0o644},
		},
		code: map[string]file{"var/task/lib/function.jar": {data: jar(t, map[string][]byte{"example/Util.class": nil}), mode: 0o644}},
	}, {
		// Neither layer is over the limit alone; the size of the files the
		// stand-in leaves empty still counts.
		name:     "over the size limit together",
		in:       pythonIn,
		deps:     map[string]file{"var/task/model.bin": {sparse: preflight.MaxImageBytes/2 + 1, mode: 0o644}},
		code:     map[string]file{"var/task/app.py": py, "var/task/weights.bin": {sparse: preflight.MaxImageBytes/2 + 1, mode: 0o644}},
		codeWant: []string{"size: the image holds 10.0 GiB of files"},
	}, {
		// The code's file hides the dependencies' directory of the same
		// name, and what it holds, as overlayfs does.
		name: "the code hides a dependency's tree",
		in:   pythonIn,
		deps: map[string]file{"var/task/data/model.bin": {sparse: preflight.MaxImageBytes/2 + 1, mode: 0o644}},
		code: map[string]file{"var/task/app.py": py, "var/task/data": py, "var/task/weights.bin": {sparse: preflight.MaxImageBytes/2 + 1, mode: 0o644}},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			standIn := t.TempDir()
			report, err := preflight.PrepareDeps(writeLayer(t, tc.deps), standIn, tc.in)
			if err != nil {
				t.Fatal(err)
			}
			assertProblems(t, "PrepareDeps", report.Problems, tc.depsWant)
			if len(tc.depsWant) > 0 {
				return // the build stops at the dependencies' step
			}
			in := tc.in
			in.StandIns = []string{standIn}
			report, err = preflight.Run([]string{standIn, writeLayer(t, tc.code)}, in)
			if err != nil {
				t.Fatal(err)
			}
			assertProblems(t, "Run on the stand-in", report.Problems, tc.codeWant)
		})
	}
}

// TestPrepareDepsStandIn checks that the stand-in keeps the content of
// the files the code's checks open, and of no other; the listing's modes,
// links and sizes are what TestPrepareDeps's checks read.
func TestPrepareDepsStandIn(t *testing.T) {
	deps := writeLayer(t, map[string]file{
		"var/task/pkg/__init__.py": {data: []byte("12345"), mode: 0o644},
		"var/task/pkg/_native.so":  {data: []byte("1234567"), mode: 0o755},
		"var/task/pkg/bin":         {link: "../bin"},
		"var/task/app.py":          {link: "pkg/app.py"},
		"var/task/pkg/app.py":      {data: []byte("import pkg\n"), mode: 0o644},
		"var/task/lib/ignored.jar": {data: []byte("not read for python"), mode: 0o644},
	})
	out := t.TempDir()
	if _, err := preflight.PrepareDeps(deps, out, preflight.Input{Runtime: "python3.12", Handler: "app.handler", GOARCH: runtime.GOARCH}); err != nil {
		t.Fatal(err)
	}
	var kept []string
	err := filepath.WalkDir(filepath.Join(out, "files"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(out, p)
			kept = append(kept, filepath.ToSlash(rel))
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	// The handler's file is a link: what it points to is kept.
	if want := []string{"files/var/task/pkg/app.py"}; !slices.Equal(kept, want) {
		t.Errorf("the stand-in keeps %q, want %q", kept, want)
	}
	if dt, err := os.ReadFile(filepath.Join(out, "files", "var", "task", "pkg", "app.py")); err != nil || string(dt) != "import pkg\n" {
		t.Errorf("the stand-in's app.py holds %q (%v)", dt, err)
	}
}

// TestPrepareDepsJarOfNames checks that the stand-in of a Java library's
// jar lists its entries, for the handler check, and holds none of their
// bytes.
func TestPrepareDepsJarOfNames(t *testing.T) {
	deps := writeLayer(t, map[string]file{
		"var/task/lib/native.jar": {data: jar(t, map[string][]byte{"example/Handler.class": []byte("\xca\xfe\xba\xbe"), "native/libfast.so": elfFile(t)}), mode: 0o644},
	})
	out := t.TempDir()
	if _, err := preflight.PrepareDeps(deps, out, preflight.Input{Runtime: "java21", Handler: "example.Handler", GOARCH: runtime.GOARCH}); err != nil {
		t.Fatal(err)
	}
	r, err := zip.OpenReader(filepath.Join(out, "files", "var", "task", "lib", "native.jar"))
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	var names []string
	for _, f := range r.File {
		names = append(names, f.Name)
		if f.UncompressedSize64 != 0 {
			t.Errorf("the stand-in's jar holds %d bytes of %s, want none", f.UncompressedSize64, f.Name)
		}
	}
	if want := []string{"example/Handler.class", "native/libfast.so"}; !slices.Equal(names, want) {
		t.Errorf("the stand-in's jar lists %q, want %q", names, want)
	}
}

// assertProblems compares problems with the start of each wanted one.
func assertProblems(t *testing.T, what string, problems []preflight.Problem, want []string) {
	t.Helper()
	var got []string
	for _, p := range problems {
		got = append(got, p.String())
	}
	if len(got) != len(want) || slices.ContainsFunc(want, func(w string) bool {
		return !slices.ContainsFunc(got, func(g string) bool { return strings.HasPrefix(g, w) })
	}) {
		t.Errorf("%s found:\n%s\nwant problems starting:\n%s", what, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
