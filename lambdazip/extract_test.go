package lambdazip_test

import (
	"archive/zip"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/lambdazip"
)

// TestExtractRoundTrip unpacks what Write packed: files with their modes,
// links as links.
func TestExtractRoundTrip(t *testing.T) {
	src := tree(t, map[string]string{
		"extensions/agent*": "#!/bin/sh\n",
		"agent/lib/libx.so": "elf",
		"agent/lib/link":    "-> libx.so",
	})
	archive := filepath.Join(t.TempDir(), "ext.zip")
	f, err := os.Create(archive)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lambdazip.Write(f, []lambdazip.Source{{Path: src, Name: "."}}, lambdazip.DefaultEpoch); err != nil {
		t.Fatal(err)
	}
	f.Close()
	dir := t.TempDir()
	stats, err := lambdazip.Extract(archive, dir)
	if err != nil {
		t.Fatal(err)
	}
	if stats.Files != 2 {
		t.Errorf("extracted %d files, want 2", stats.Files)
	}
	for name, want := range map[string]fs.FileMode{"extensions/agent": 0o755, "agent/lib/libx.so": 0o644, "agent": fs.ModeDir | 0o755} {
		fi, err := os.Lstat(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode() != want {
			t.Errorf("%s has mode %s, want %s", name, fi.Mode(), want)
		}
	}
	if target, err := os.Readlink(filepath.Join(dir, "agent/lib/link")); err != nil || target != "libx.so" {
		t.Errorf("agent/lib/link -> %q (%v), want libx.so", target, err)
	}
}

// TestExtractRefuses archives that would write outside the directory or
// through a link.
func TestExtractRefuses(t *testing.T) {
	for _, tc := range []struct {
		name    string
		entries []zipEntry
		want    string
	}{
		{"parent", []zipEntry{{name: "../evil", body: "x"}}, "leads out"},
		{"absolute", []zipEntry{{name: "/etc/evil", body: "x"}}, "leads out"},
		{"backslash", []zipEntry{{name: `..\evil`, body: "x"}}, "leads out"},
		{"through a link", []zipEntry{{name: "out", body: "/etc", mode: fs.ModeSymlink | 0o777}, {name: "out/passwd", body: "x"}}, "through out, a link"},
		{"onto a link", []zipEntry{{name: "out", body: "/etc/passwd", mode: fs.ModeSymlink | 0o777}, {name: "out", body: "x"}}, "twice"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			archive := writeZip(t, tc.entries)
			dir := t.TempDir()
			_, err := lambdazip.Extract(archive, dir)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("Extract: %v, want an error saying %q", err, tc.want)
			}
		})
	}
}

type zipEntry struct {
	name, body string
	mode       fs.FileMode
}

// writeZip writes entries as they are, which Write would never do.
func writeZip(t *testing.T, entries []zipEntry) string {
	t.Helper()
	archive := filepath.Join(t.TempDir(), "hostile.zip")
	f, err := os.Create(archive)
	if err != nil {
		t.Fatal(err)
	}
	zw := zip.NewWriter(f)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Store, Modified: time.Unix(0, 0)}
		h.SetMode(e.mode | 0o644)
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(e.body)); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	f.Close()
	return archive
}
