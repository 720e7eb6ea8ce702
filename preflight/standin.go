package preflight

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"time"
)

// The layout of a stand-in, as PrepareDeps writes it: the listing of every
// entry of the layer, and the files whose content the checks of the code
// open, at their paths under standInFiles.
const (
	standInListing = "listing.json"
	standInFiles   = "files"
)

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

// standIn is a layer as PrepareDeps lists it: every path with its mode,
// size and link, and only the content the checks of the code open. Read as
// a layer it answers every lookup the checks make; a check that opens a
// file it did not keep finds nothing to read, as in an empty file.
type standIn struct {
	files    string
	entries  map[string]listed
	children map[string][]string
}

// readStandIn reads the stand-in PrepareDeps wrote to dir.
func readStandIn(dir string) (*standIn, error) {
	dt, err := os.ReadFile(filepath.Join(dir, standInListing))
	if err != nil {
		return nil, fmt.Errorf("reading the dependencies' stand-in: %w", err)
	}
	var list []listed
	if err := json.Unmarshal(dt, &list); err != nil {
		return nil, fmt.Errorf("reading the dependencies' stand-in %s: %w", filepath.Join(dir, standInListing), err)
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
