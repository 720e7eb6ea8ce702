// Package golden compares test output with files under testdata/ and
// rewrites them when the tests run with -update.
//
// Every test package of the module imports it, so that
// `go test ./... -update` defines the flag in every test binary.
package golden

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"
)

// Update is set by `go test ./... -update`.
var Update = flag.Bool("update", false, "rewrite golden files with the current output")

// Check fails t when got differs from the file at path, or with -update
// writes got to it.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("reading golden file: %v (run go test ./... -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s is stale; run go test ./... -update and review the diff.\n--- want\n%s\n--- got\n%s", path, want, got)
	}
}

// CheckSection is Check for the part of a document between the lines
// begin and end, both kept: the generated part of a hand-written page,
// such as a table drawn from the code.
func CheckSection(t testing.TB, path, begin, end string, got []byte) {
	t.Helper()
	doc, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	b, e := []byte(begin+"\n"), []byte(end+"\n")
	i, j := bytes.Index(doc, b), bytes.Index(doc, e)
	if i < 0 || j < i {
		t.Fatalf("%s lacks the lines %q and %q around its generated part", path, begin, end)
	}
	want := doc[i+len(b) : j]
	if bytes.Equal(want, got) {
		return
	}
	if *Update {
		updated := append(append(append([]byte{}, doc[:i+len(b)]...), got...), doc[j:]...)
		if err := os.WriteFile(path, updated, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("the generated part of %s is stale; run go test ./... -update and review the diff.\n--- want\n%s\n--- got\n%s", path, want, got)
}
