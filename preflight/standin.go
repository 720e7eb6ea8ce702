package preflight

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// The layout of a stand-in, as PrepareDeps and Base write it: the listing
// of the layer's entries, and the files whose content the checks open, at
// their paths under standInFiles.
const (
	standInListing = "listing.json"
	standInFiles   = "files"
)

// standInWriter writes a stand-in to its directory: the listing of the
// entries added, and the content of those kept.
type standInWriter struct {
	dir  string
	list []listed
}

// add lists e, with the content of a regular file when keep says so.
func (w *standInWriter) add(e entry, keep bool) error {
	l := listed{Path: e.path, Mode: e.info.Mode(), Link: e.link}
	if e.info.Mode().IsRegular() {
		l.Size = e.info.Size()
		if keep {
			l.Kept = true
			if err := copyEntry(e, w.hostPath(e.path)); err != nil {
				return err
			}
		}
	}
	w.list = append(w.list, l)
	return nil
}

// addEmpty lists e as an empty file of its mode: it is counted elsewhere,
// and the checks ask only whether it is there.
func (w *standInWriter) addEmpty(e entry) {
	w.list = append(w.list, listed{Path: e.path, Mode: e.info.Mode(), Link: e.link})
}

// addJarOfNames lists the jar e, keeping the names of its entries.
func (w *standInWriter) addJarOfNames(e entry) error {
	l := listed{Path: e.path, Mode: e.info.Mode(), Size: e.info.Size()}
	kept, err := jarOfNames(e.host, w.hostPath(e.path))
	if err != nil {
		return err
	}
	l.Kept = kept
	w.list = append(w.list, l)
	return nil
}

func (w *standInWriter) hostPath(p string) string {
	return filepath.Join(w.dir, standInFiles, filepath.FromSlash(p))
}

// finish writes the listing, sorted by path.
func (w *standInWriter) finish() error {
	slices.SortFunc(w.list, func(a, b listed) int { return strings.Compare(a.Path, b.Path) })
	dt, err := json.Marshal(w.list)
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(w.dir, standInListing), dt, 0o644)
}

// listed is one entry of a stand-in's listing.
type listed struct {
	Path string      `json:"path"`
	Mode fs.FileMode `json:"mode"`
	Size int64       `json:"size,omitempty"`
	Link string      `json:"link,omitempty"`
	// Kept says the stand-in keeps the file's content (for a jar, its
	// entries' names) under standInFiles.
	Kept bool `json:"kept,omitempty"`
}

// standIn is a layer as PrepareDeps or Base lists it: every path with its
// mode, size and link, and only the content the checks open. Read as
// a layer it answers every lookup the checks make; a check that opens a
// file it did not keep finds nothing to read, as in an empty file.
type standIn struct {
	files    string
	entries  map[string]listed
	children map[string][]string
}

// readStandIn reads the stand-in PrepareDeps or Base wrote to dir.
func readStandIn(dir string) (*standIn, error) {
	file := filepath.Join(dir, standInListing)
	dt, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading the stand-in of a layer: %w", err)
	}
	var list []listed
	if err := json.Unmarshal(dt, &list); err != nil {
		return nil, fmt.Errorf("reading the stand-in of a layer %s: %w", file, err)
	}
	s := &standIn{files: filepath.Join(dir, standInFiles), entries: make(map[string]listed, len(list)), children: map[string][]string{}}
	for _, l := range list {
		s.entries[l.Path] = l
		if l.Path != "/" {
			parent := path.Dir(l.Path)
			s.children[parent] = append(s.children[parent], path.Base(l.Path))
		}
	}
	for _, names := range s.children {
		slices.Sort(names)
	}
	return s, nil
}

func (s *standIn) lstat(p string) (entry, error) {
	l, ok := s.entries[p]
	if !ok {
		return entry{}, &fs.PathError{Op: "lstat", Path: p, Err: fs.ErrNotExist}
	}
	e := entry{path: p, info: listedInfo{l}, link: l.Link}
	if l.Kept {
		e.host = filepath.Join(s.files, filepath.FromSlash(p))
	}
	return e, nil
}

func (s *standIn) readDir(p string) (map[string]bool, error) {
	if l, ok := s.entries[p]; !ok || !l.Mode.IsDir() {
		return nil, &fs.PathError{Op: "readdir", Path: p, Err: fs.ErrNotExist}
	}
	names := map[string]bool{}
	for _, name := range s.children[p] {
		names[name] = s.entries[path.Join(p, name)].Mode.IsDir()
	}
	return names, nil
}

func (s *standIn) walk(fn func(entry) error) error {
	if _, ok := s.entries["/"]; !ok {
		return nil
	}
	return s.walkFrom("/", fn)
}

func (s *standIn) walkFrom(p string, fn func(entry) error) error {
	e, err := s.lstat(p)
	if err != nil {
		return err
	}
	if err := fn(e); err != nil {
		if err == fs.SkipDir && e.info.IsDir() {
			return nil
		}
		return err
	}
	for _, name := range s.children[p] {
		if err := s.walkFrom(path.Join(p, name), fn); err != nil {
			return err
		}
	}
	return nil
}

// listedInfo is a listed entry as fs.FileInfo.
type listedInfo struct{ l listed }

func (i listedInfo) Name() string       { return path.Base(i.l.Path) }
func (i listedInfo) Size() int64        { return i.l.Size }
func (i listedInfo) Mode() fs.FileMode  { return i.l.Mode }
func (i listedInfo) ModTime() time.Time { return time.Time{} }
func (i listedInfo) IsDir() bool        { return i.l.Mode.IsDir() }
func (i listedInfo) Sys() any           { return nil }
