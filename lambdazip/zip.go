package lambdazip

import (
	"archive/zip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// Lambda's limits on a .zip deployment package (quotas page of the Lambda
// developer guide).
const (
	// MaxDirectUpload is the largest archive the Lambda API takes in the
	// request; a larger one is uploaded to S3 first.
	MaxDirectUpload = 50 << 20
	// MaxUnzipped is the most a function's files, layers included, may
	// hold once unzipped.
	MaxUnzipped = 250 << 20
)

// DefaultEpoch is the timestamp of every entry when the build sets no
// SOURCE_DATE_EPOCH: the earliest time a zip entry can hold.
var DefaultEpoch = time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC)

// Source is a file or directory tree that goes into the archive at Name,
// a slash-separated path inside it ("" or "." for the root).
type Source struct {
	Path, Name string
}

// Stats is what went into an archive.
type Stats struct {
	Files int
	// Unzipped is the files' total size, as Lambda counts it against its
	// limit; Zipped is the archive's.
	Unzipped, Zipped int64
}

// entry is one file, directory or link of the archive.
type entry struct {
	name string
	host string
	mode fs.FileMode
	// link is a symbolic link's target.
	link string
}

// Write writes the sources into w as one archive, later sources replacing
// earlier ones' entries of the same name. A source that does not exist, or
// is a symbolic link itself, is skipped: a runtime's bootstrap that links
// into the task root is in the archive as the task root's file. Links
// inside a tree are kept as links, as zip -y keeps them.
func Write(w io.Writer, sources []Source, epoch time.Time) (Stats, error) {
	entries := map[string]entry{}
	for _, src := range sources {
		if err := collect(entries, src); err != nil {
			return Stats{}, err
		}
	}
	names := slices.Sorted(maps.Keys(entries))
	counter := &countingWriter{w: w}
	zw := zip.NewWriter(counter)
	var stats Stats
	for _, name := range names {
		e := entries[name]
		n, err := writeEntry(zw, e, epoch)
		if err != nil {
			return Stats{}, fmt.Errorf("writing %s: %w", name, err)
		}
		if e.mode.IsRegular() {
			stats.Files++
			stats.Unzipped += n
		}
	}
	if err := zw.Close(); err != nil {
		return Stats{}, fmt.Errorf("writing the archive: %w", err)
	}
	stats.Zipped = counter.n
	return stats, nil
}

// collect adds a source's entries, with the directories above its name.
func collect(entries map[string]entry, src Source) error {
	fi, err := os.Lstat(src.Path)
	if errors.Is(err, fs.ErrNotExist) || (err == nil && fi.Mode()&fs.ModeSymlink != 0) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("reading %s: %w", src.Path, err)
	}
	prefix := strings.Trim(path.Clean("/"+src.Name), "/")
	for dir := path.Dir(prefix); prefix != "" && dir != "."; dir = path.Dir(dir) {
		entries[dir+"/"] = entry{name: dir + "/", mode: fs.ModeDir | 0o755}
	}
	if !fi.IsDir() {
		if prefix == "" {
			return fmt.Errorf("%s is a file and needs a name in the archive", src.Path)
		}
		entries[prefix] = entry{name: prefix, host: src.Path, mode: fi.Mode()}
		return nil
	}
	return filepath.WalkDir(src.Path, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return fmt.Errorf("reading %s: %w", p, err)
		}
		rel, err := filepath.Rel(src.Path, p)
		if err != nil {
			return err
		}
		name := path.Join(prefix, filepath.ToSlash(rel))
		if name == "." || name == "" {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return fmt.Errorf("reading %s: %w", p, err)
		}
		e := entry{name: name, host: p, mode: info.Mode()}
		switch {
		case d.IsDir():
			e.name += "/"
		case info.Mode()&fs.ModeSymlink != 0:
			if e.link, err = os.Readlink(p); err != nil {
				return fmt.Errorf("reading %s: %w", p, err)
			}
		case !info.Mode().IsRegular():
			return nil // sockets, devices and pipes have no place in a function
		}
		entries[e.name] = e
		return nil
	})
}

// writeEntry writes one entry with the normalised mode and the fixed time,
// and returns how many bytes of file it holds.
func writeEntry(zw *zip.Writer, e entry, epoch time.Time) (int64, error) {
	h := &zip.FileHeader{Name: e.name, Modified: epoch.UTC(), Method: zip.Deflate}
	switch {
	case e.mode.IsDir():
		h.Method = zip.Store
		h.SetMode(fs.ModeDir | 0o755)
	case e.link != "":
		h.Method = zip.Store
		h.SetMode(fs.ModeSymlink | 0o777)
	case e.mode.Perm()&0o111 != 0:
		h.SetMode(0o755)
	default:
		h.SetMode(0o644)
	}
	w, err := zw.CreateHeader(h)
	if err != nil {
		return 0, err
	}
	switch {
	case e.mode.IsDir():
		return 0, nil
	case e.link != "":
		_, err := io.WriteString(w, e.link)
		return 0, err
	}
	f, err := os.Open(e.host)
	if err != nil {
		return 0, err
	}
	defer f.Close()
	return io.Copy(w, f)
}

// countingWriter counts what passes through it.
type countingWriter struct {
	w io.Writer
	n int64
}

func (c *countingWriter) Write(p []byte) (int, error) {
	n, err := c.w.Write(p)
	c.n += int64(n)
	return n, err
}
