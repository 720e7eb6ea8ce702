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

// layer is one layer of an image as the checks read it: a directory
// holding the layer's files (dirLayer), or the listing PrepareDeps keeps of
// a layer already checked (standIn).
type layer interface {
	// lstat is the layer's entry for the image path p, not following a
	// link it ends in.
	lstat(p string) (entry, error)
	// readDir lists the names in the directory p, each with whether it is
	// a directory.
	readDir(p string) (map[string]bool, error)
	// walk calls fn for every entry of the layer, a directory before what
	// it holds, and skips what a directory holds when fn returns
	// fs.SkipDir for it.
	walk(fn func(entry) error) error
}

// entry is one file of the image, as its topmost layer has it.
type entry struct {
	// path is the image path; host is where the file's content is read,
	// "" when the layer does not keep it.
	path, host string
	info       fs.FileInfo
	// link is a symbolic link's target.
	link string
}

// layers is an image's file system as the layers it is made of, lowest
// first, read the way overlayfs stacks them: a path is the topmost layer's
// entry for it. The build mounts the layers apart because BuildKit hashes
// the content of every mount a step reads; the base and dependency layers
// then keep the hash from an earlier build, and a code change hashes only
// the code.
type layers []layer

// dirLayers are the layers held by the directories dirs, lowest first.
func dirLayers(dirs ...string) layers {
	ls := make(layers, len(dirs))
	for i, d := range dirs {
		ls[i] = dirLayer(d)
	}
	return ls
}

// lstat is the topmost entry for the image path p, not following a link
// it ends in.
func (ls layers) lstat(p string) (entry, error) {
	for i := len(ls) - 1; i >= 0; i-- {
		e, err := ls[i].lstat(p)
		if err == nil {
			return e, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return entry{}, err
		}
	}
	return entry{}, fs.ErrNotExist
}

// stat is lstat after following symbolic links within the image, so that
// an absolute link resolves against the image's root and a link in one
// layer can point into another. It returns where the file's content is
// read ("" when no layer keeps it) and its info.
func (ls layers) stat(p string) (string, fs.FileInfo, error) {
	resolved, err := ls.resolve(p)
	if err != nil {
		return "", nil, err
	}
	e, err := ls.lstat(resolved)
	if err != nil {
		return "", nil, err
	}
	return e.host, e.info, nil
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
		e, err := ls.lstat(next)
		if err != nil {
			return "", err
		}
		if e.info.Mode()&fs.ModeSymlink == 0 {
			cur = next
			continue
		}
		if links++; links > maxLinks {
			return "", &fs.PathError{Op: "resolve", Path: p, Err: errors.New("too many levels of symbolic links")}
		}
		if path.IsAbs(e.link) {
			cur = "/"
		}
		rest = append(strings.Split(e.link, "/"), rest...)
	}
	return cur, nil
}

// walk calls fn once for every path of the image, with the topmost
// layer's entry for it. A directory's entries are the union of its layers'
// entries, unless a higher layer has something else than a directory there.
func (ls layers) walk(fn func(entry) error) error {
	seenDir := map[string]bool{}
	for i := len(ls) - 1; i >= 0; i-- {
		err := ls[i].walk(func(e entry) error {
			isDir := e.info.IsDir()
			if seenIsDir, seen := seenDir[e.path]; seen {
				if isDir && !seenIsDir {
					return fs.SkipDir // a higher layer's file hides this tree
				}
				return nil
			}
			seenDir[e.path] = isDir
			return fn(e)
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
		names, err := ls[i].readDir(p)
		if err != nil {
			continue
		}
		for name, dir := range names {
			if _, seen := isDir[name]; !seen {
				isDir[name] = dir
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

// dirLayer is a layer held by a directory.
type dirLayer string

func (d dirLayer) lstat(p string) (entry, error) {
	host := filepath.Join(string(d), filepath.FromSlash(p))
	fi, err := os.Lstat(host)
	if err != nil {
		return entry{}, err
	}
	return d.entry(p, host, fi)
}

// entry describes the file at host, reading a link's target.
func (dirLayer) entry(p, host string, fi fs.FileInfo) (entry, error) {
	e := entry{path: p, host: host, info: fi}
	if fi.Mode()&fs.ModeSymlink != 0 {
		target, err := os.Readlink(host)
		if err != nil {
			return entry{}, err
		}
		e.link = target
	}
	return e, nil
}

func (d dirLayer) readDir(p string) (map[string]bool, error) {
	entries, err := os.ReadDir(filepath.Join(string(d), filepath.FromSlash(p)))
	if err != nil {
		return nil, err
	}
	names := make(map[string]bool, len(entries))
	for _, e := range entries {
		names[e.Name()] = e.IsDir()
	}
	return names, nil
}

func (d dirLayer) walk(fn func(entry) error) error {
	root := string(d)
	return filepath.WalkDir(root, func(host string, de fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(root, host)
		if err != nil {
			return err
		}
		fi, err := de.Info()
		if err != nil {
			return err
		}
		e, err := d.entry(path.Join("/", filepath.ToSlash(rel)), host, fi)
		if err != nil {
			return err
		}
		return fn(e)
	})
}
