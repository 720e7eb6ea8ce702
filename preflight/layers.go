package preflight

import (
	"errors"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
)

// maxLinks is how many symbolic links a lookup follows before it gives up,
// as Linux's MAXSYMLINKS.
const maxLinks = 40

// layers is an image's file system as the layers it is made of, each a
// directory, lowest first, read the way overlayfs stacks them: a path is
// the topmost layer's entry for it. The build mounts the layers apart
// because BuildKit hashes the content of every mount a step reads; the
// base and dependency layers then keep the hash from an earlier build, and
// a code change hashes only the code.
type layers []string

// lstat is the topmost entry for the image path p, not following a link
// it ends in, and the host path of that entry.
func (ls layers) lstat(p string) (string, fs.FileInfo, error) {
	for i := len(ls) - 1; i >= 0; i-- {
		host := filepath.Join(ls[i], filepath.FromSlash(p))
		fi, err := os.Lstat(host)
		if err == nil {
			return host, fi, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return "", nil, err
		}
	}
	return "", nil, fs.ErrNotExist
}

// stat is lstat after following symbolic links within the image, so that
// an absolute link resolves against the image's root and a link in one
// layer can point into another.
func (ls layers) stat(p string) (string, fs.FileInfo, error) {
	resolved, err := ls.resolve(p)
	if err != nil {
		return "", nil, err
	}
	return ls.lstat(resolved)
}

// resolve follows every symbolic link on the way to p.
func (ls layers) resolve(p string) (string, error) {
	rest := strings.Split(p, "/")
	cur, links := "/", 0
	for len(rest) > 0 {
		name := rest[0]
		rest = rest[1:]
		switch name {
		case "", ".":
			continue
		case "..":
			cur = path.Dir(cur)
			continue
		}
		next := path.Join(cur, name)
		host, fi, err := ls.lstat(next)
		if err != nil {
			return "", err
		}
		if fi.Mode()&fs.ModeSymlink == 0 {
			cur = next
			continue
		}
		if links++; links > maxLinks {
			return "", &fs.PathError{Op: "resolve", Path: p, Err: errors.New("too many levels of symbolic links")}
		}
		target, err := os.Readlink(host)
		if err != nil {
			return "", err
		}
		if path.IsAbs(target) {
			cur = "/"
		}
		rest = append(strings.Split(target, "/"), rest...)
	}
	return cur, nil
}

// entry is one file of the image, as its topmost layer has it.
type entry struct {
	// path is the image path; host is where the file is read.
	path, host string
	info       fs.FileInfo
}

// walk calls fn once for every path of the image, with the topmost
// layer's entry for it. A directory's entries are the union of its layers'
// entries, unless a higher layer has something else than a directory there.
func (ls layers) walk(fn func(entry) error) error {
	seenDir := map[string]bool{}
	for i := len(ls) - 1; i >= 0; i-- {
		root := ls[i]
		err := filepath.WalkDir(root, func(host string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			rel, err := filepath.Rel(root, host)
			if err != nil {
				return err
			}
			p := path.Join("/", filepath.ToSlash(rel))
			if isDir, seen := seenDir[p]; seen {
				if d.IsDir() && !isDir {
					return fs.SkipDir // a higher layer's file hides this tree
				}
				return nil
			}
			seenDir[p] = d.IsDir()
			fi, err := d.Info()
			if err != nil {
				return err
			}
			return fn(entry{path: p, host: host, info: fi})
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// readDir lists the names in the image directory p, sorted, with a slash
// after those of directories.
func (ls layers) readDir(p string) []string {
	isDir := map[string]bool{}
	for i := len(ls) - 1; i >= 0; i-- {
		entries, err := os.ReadDir(filepath.Join(ls[i], filepath.FromSlash(p)))
		if err != nil {
			continue
		}
		for _, e := range entries {
			if _, seen := isDir[e.Name()]; !seen {
				isDir[e.Name()] = e.IsDir()
			}
		}
	}
	names := slices.Sorted(maps.Keys(isDir))
	for i, name := range names {
		if isDir[name] {
			names[i] = name + "/"
		}
	}
	return names
}
