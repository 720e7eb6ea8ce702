package lambdazip

import (
	"archive/zip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// MaxEntries bounds the entries Extract takes from one archive.
const MaxEntries = 100_000

// Extract unpacks the archive at file into dir, as Lambda unpacks a layer
// into /opt: modes from the archive (0644 files and 0755 directories when
// it has none), links kept as links. An entry that would land outside dir,
// or under a link, is an error, and so are more files than Lambda takes
// unzipped (MaxUnzipped).
func Extract(file, dir string) (Stats, error) {
	r, err := zip.OpenReader(file)
	if err != nil {
		return Stats{}, fmt.Errorf("reading %s: %w", file, err)
	}
	defer r.Close()
	if len(r.File) > MaxEntries {
		return Stats{}, fmt.Errorf("%s has %d entries, more than the %d extracted from one archive", file, len(r.File), MaxEntries)
	}
	x := extractor{dir: dir, links: map[string]bool{}}
	for _, f := range r.File {
		if err := x.entry(f); err != nil {
			return x.stats, fmt.Errorf("%s: %s: %w", file, f.Name, err)
		}
	}
	return x.stats, nil
}

type extractor struct {
	dir   string
	stats Stats
	// links are the entries written as symbolic links: nothing may be
	// written through one.
	links map[string]bool
}

func (x *extractor) entry(f *zip.File) error {
	name := path.Clean(strings.TrimPrefix(f.Name, "./"))
	if path.IsAbs(f.Name) || name == ".." || strings.HasPrefix(name, "../") || strings.Contains(f.Name, `\`) {
		return fmt.Errorf("the name leads out of the archive's directory")
	}
	if x.links[name] {
		return fmt.Errorf("is in the archive twice, first as a link")
	}
	for p := path.Dir(name); p != "."; p = path.Dir(p) {
		if x.links[p] {
			return fmt.Errorf("the name goes through %s, a link", p)
		}
	}
	target := filepath.Join(x.dir, filepath.FromSlash(name))
	mode := f.Mode()
	switch {
	case mode.IsDir():
		if err := os.MkdirAll(target, 0o755); err != nil {
			return err
		}
		return os.Chmod(target, dirMode(mode))
	case mode&fs.ModeSymlink != 0:
		link, err := readAll(f, 4096)
		if err != nil {
			return err
		}
		x.links[name] = true
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			return err
		}
		return os.Symlink(string(link), target)
	case !mode.IsRegular():
		return fmt.Errorf("is a %s, not a file, directory or link", mode.Type())
	}
	x.stats.Files++
	x.stats.Unzipped += int64(f.UncompressedSize64)
	if x.stats.Unzipped > MaxUnzipped {
		return fmt.Errorf("the archive holds more than the %d MiB Lambda allows unzipped", MaxUnzipped>>20)
	}
	if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
		return err
	}
	rc, err := f.Open()
	if err != nil {
		return err
	}
	defer rc.Close()
	out, err := os.OpenFile(target, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, fileMode(mode))
	if err != nil {
		return err
	}
	// The declared size bounds the copy: a forged header cannot make it
	// write more.
	_, err = io.Copy(out, io.LimitReader(rc, int64(f.UncompressedSize64)))
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	// OpenFile's mode went through the umask.
	if err := os.Chmod(target, fileMode(mode)); err != nil {
		return err
	}
	return os.Chtimes(target, f.Modified, f.Modified)
}

// fileMode is an entry's permissions, or 0644 for an archive made without
// them (on Windows, say); the umask does not apply.
func fileMode(m fs.FileMode) fs.FileMode {
	if m.Perm() == 0 {
		return 0o644
	}
	return m.Perm()
}

func dirMode(m fs.FileMode) fs.FileMode {
	if m.Perm() == 0 {
		return 0o755
	}
	return m.Perm() | 0o700
}

// readAll reads a small entry, a link's target.
func readAll(f *zip.File, limit int64) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(io.LimitReader(rc, limit))
}
