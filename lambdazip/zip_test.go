package lambdazip_test

import (
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/internal/golden"
	"github.com/buildkit-lambda/buildkit-lambda/lambdazip"
)

var _ = golden.Update // every test binary takes -update

// tree writes files (name → content; a name ending in * is executable, one
// holding -> a link) under a new directory.
func tree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, content := range files {
		mode := fs.FileMode(0o600)
		if name[len(name)-1] == '*' {
			name, mode = name[:len(name)-1], 0o700
		}
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
			t.Fatal(err)
		}
		if target, ok := bytes.CutPrefix([]byte(content), []byte("-> ")); ok {
			if err := os.Symlink(string(target), p); err != nil {
				t.Fatal(err)
			}
			continue
		}
		if err := os.WriteFile(p, []byte(content), mode); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

type got struct {
	name, content string
	mode          fs.FileMode
	modified      time.Time
}

func read(t *testing.T, archive []byte) []got {
	t.Helper()
	r, err := zip.NewReader(bytes.NewReader(archive), int64(len(archive)))
	if err != nil {
		t.Fatal(err)
	}
	var out []got
	for _, f := range r.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		dt, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, got{f.Name, string(dt), f.Mode(), f.Modified.UTC()})
	}
	return out
}

func TestWrite(t *testing.T) {
	deps := tree(t, map[string]string{"node_modules/ms/index.js": "module.exports = 1", "node_modules/.bin/ms": "-> ../ms/index.js", "package.json": "{}"})
	code := tree(t, map[string]string{"app.js": "exports.handler = 1", "package.json": `{"type":"module"}`})
	bin := tree(t, map[string]string{"bootstrap*": "\x7fELF"})
	epoch := time.Unix(1700000000, 0)
	var buf bytes.Buffer
	stats, err := lambdazip.Write(&buf, []lambdazip.Source{
		{Path: deps, Name: "."},
		{Path: code, Name: ""},
		{Path: filepath.Join(bin, "bootstrap"), Name: "bootstrap"},
		{Path: filepath.Join(bin, "missing"), Name: "missing"},
	}, epoch)
	if err != nil {
		t.Fatal(err)
	}
	entries := read(t, buf.Bytes())
	want := []got{
		{"app.js", "exports.handler = 1", 0o644, epoch.UTC()},
		{"bootstrap", "\x7fELF", 0o755, epoch.UTC()},
		{"node_modules/", "", fs.ModeDir | 0o755, epoch.UTC()},
		{"node_modules/.bin/", "", fs.ModeDir | 0o755, epoch.UTC()},
		{"node_modules/.bin/ms", "../ms/index.js", fs.ModeSymlink | 0o777, epoch.UTC()},
		{"node_modules/ms/", "", fs.ModeDir | 0o755, epoch.UTC()},
		{"node_modules/ms/index.js", "module.exports = 1", 0o644, epoch.UTC()},
		// The later source wins.
		{"package.json", `{"type":"module"}`, 0o644, epoch.UTC()},
	}
	if !slices.Equal(entries, want) {
		t.Errorf("entries:\n%v\nwant:\n%v", entries, want)
	}
	if stats.Files != 4 || stats.Unzipped != int64(len("exports.handler = 1")+4+len("module.exports = 1")+len(`{"type":"module"}`)) || stats.Zipped != int64(buf.Len()) {
		t.Errorf("stats %+v for an archive of %d bytes", stats, buf.Len())
	}
}

// TestWritePrefix puts a tree under a directory, with the directories on
// the way, as a layer's dependencies go under nodejs/ or python/.
func TestWritePrefix(t *testing.T) {
	deps := tree(t, map[string]string{"lib/a.jar": "jar"})
	var buf bytes.Buffer
	if _, err := lambdazip.Write(&buf, []lambdazip.Source{{Path: deps, Name: "java"}}, lambdazip.DefaultEpoch); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range read(t, buf.Bytes()) {
		names = append(names, e.name)
		if !e.modified.Equal(lambdazip.DefaultEpoch) {
			t.Errorf("%s modified %v, want %v", e.name, e.modified, lambdazip.DefaultEpoch)
		}
	}
	if want := []string{"java/", "java/lib/", "java/lib/a.jar"}; !slices.Equal(names, want) {
		t.Errorf("names %q, want %q", names, want)
	}
}

// TestWriteReproducible: the same trees give the same bytes, whatever the
// files' own times, modes and owners.
func TestWriteReproducible(t *testing.T) {
	files := map[string]string{"a/b.py": "x = 1", "c.py": "y = 2", "run*": "#!/bin/sh"}
	one, two := tree(t, files), tree(t, files)
	old := time.Unix(1000, 0)
	if err := os.Chtimes(filepath.Join(two, "c.py"), old, old); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(two, "a", "b.py"), 0o664); err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	for _, c := range []struct {
		dir string
		buf *bytes.Buffer
	}{{one, &a}, {two, &b}} {
		if _, err := lambdazip.Write(c.buf, []lambdazip.Source{{Path: c.dir}}, lambdazip.DefaultEpoch); err != nil {
			t.Fatal(err)
		}
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("two archives of the same files differ")
	}
}

func TestWriteFileNeedsName(t *testing.T) {
	dir := tree(t, map[string]string{"bootstrap*": "x"})
	if _, err := lambdazip.Write(io.Discard, []lambdazip.Source{{Path: filepath.Join(dir, "bootstrap")}}, lambdazip.DefaultEpoch); err == nil {
		t.Error("a file source with no name was accepted")
	}
}
