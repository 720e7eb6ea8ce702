package preflight

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
)

// The layout PrepareBase writes: what the checks read of the base image,
// to be passed to Run as the lowest layer, and what Base finds out about
// the rest: its size (see ReadBaseSize), its Python modules and the shared
// libraries the dynamic loader finds in it (see ReadBaseNames).
const (
	BaseLayerDir    = "layer"
	BaseSizeFile    = "bytes"
	BaseModuleFile  = "modules"
	BaseLibraryFile = "libraries"
)

// PrepareBase runs Base on the base image at root into out/BaseLayerDir
// and writes what it finds out to the other files of out; libraryPath is
// the image's LD_LIBRARY_PATH.
func PrepareBase(root, out, libraryPath string) error {
	layer := filepath.Join(out, BaseLayerDir)
	if err := os.MkdirAll(layer, 0o755); err != nil {
		return fmt.Errorf("creating %s: %w", layer, err)
	}
	facts, err := Base(root, layer, libraryPath)
	if err != nil {
		return err
	}
	for _, f := range []struct{ name, text string }{
		{BaseSizeFile, strconv.FormatInt(facts.Size, 10)},
		{BaseModuleFile, strings.Join(facts.Modules, "\n")},
		{BaseLibraryFile, strings.Join(facts.Libraries, "\n")},
	} {
		file := filepath.Join(out, f.name)
		if err := os.WriteFile(file, []byte(f.text+"\n"), 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", file, err)
		}
	}
	return nil
}

// ReadBaseNames reads a list of names PrepareBase wrote to file: the
// base image's modules or libraries.
func ReadBaseNames(file string) ([]string, error) {
	dt, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("reading what the base image holds: %w", err)
	}
	return strings.Fields(string(dt)), nil
}

// ReadBaseSize reads the size PrepareBase wrote to file.
func ReadBaseSize(file string) (int64, error) {
	dt, err := os.ReadFile(file)
	if err != nil {
		return 0, fmt.Errorf("reading the base image's size: %w", err)
	}
	n, err := strconv.ParseInt(strings.TrimSpace(string(dt)), 10, 64)
	if err != nil {
		return 0, fmt.Errorf("reading the base image's size from %s: %w", file, err)
	}
	return n, nil
}

// BaseFacts is what Base finds out about a base image, outside what it
// keeps for the checks.
type BaseFacts struct {
	// Size is the size of its files, for Input.BaseBytes.
	Size int64
	// Modules are the library modules of its Python installation, if any,
	// sorted, for Input.BaseModules.
	Modules []string
	// Libraries are the names of the shared libraries its dynamic loader
	// finds, sorted, for Input.BaseLibraries.
	Libraries []string
}

// Base prepares a base image, whose root file system is at root, for the
// checks of every image built on it. It writes to out a stand-in of what
// the checks read of it (see standIn), to be passed to Run as the lowest
// layer: the entries of the task root and the runtime directory, with the
// content of the task root's files and of the bootstrap, and its programs
// and program loaders (see isProgramPath) as empty files. It finds out
// what the checks need to know of the rest (see BaseFacts); libraryPath is
// the image's LD_LIBRARY_PATH. The checks of a rebuild then read a listing
// and a few files, not the base's tens of thousands, and a builder that
// imports a registry cache pulls a few kilobytes for them (a copy of AWS's
// Node.js runtime directory would hold the whole AWS SDK).
func Base(root, out, libraryPath string) (BaseFacts, error) {
	var facts BaseFacts
	base := dirLayers(root)
	keep := map[string]bool{}
	for _, p := range []string{runtimeDir + "/bootstrap", taskRoot + "/bootstrap"} {
		if resolved, err := base.resolve(p); err == nil {
			keep[resolved] = true
		}
	}
	w := &standInWriter{dir: out}
	dirs := map[string]entry{}
	listedDirs := map[string]bool{}
	err := base.walk(func(e entry) error {
		switch {
		case under(e.path, taskRoot) || under(e.path, runtimeDir):
			if e.info.IsDir() {
				listedDirs[e.path] = true
			}
			return w.add(e, under(e.path, taskRoot) || keep[e.path])
		case e.info.IsDir():
			dirs[e.path] = e
		case isProgramPath(e.path):
			w.addEmpty(e)
		}
		if e.info.Mode().IsRegular() {
			facts.Size += e.info.Size()
		}
		if m := libraryModule(e.path); m != "" {
			facts.Modules = append(facts.Modules, m)
		}
		return nil
	})
	if err != nil {
		return BaseFacts{}, fmt.Errorf("reading the base image: %w", err)
	}
	// The directories on the way to what is listed, so that the checks
	// can look each path up.
	for _, l := range slices.Clone(w.list) {
		for d := path.Dir(l.Path); !listedDirs[d]; d = path.Dir(d) {
			if e, ok := dirs[d]; ok {
				w.addEmpty(e)
			}
			listedDirs[d] = true
		}
	}
	if err := w.finish(); err != nil {
		return BaseFacts{}, fmt.Errorf("writing the base image's stand-in: %w", err)
	}
	slices.Sort(facts.Modules)
	facts.Modules = slices.Compact(facts.Modules)
	facts.Libraries = base.libraries(append(libraryDirs(libraryPath), loaderConfigDirs(root)...))
	return facts, nil
}

// copyEntry copies a directory (without its mode, which Base sets last), a
// regular file or a symbolic link to dst; the checks read nothing else.
func copyEntry(e entry, dst string) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	mode := e.info.Mode()
	switch {
	case mode.IsDir():
		if err := os.Mkdir(dst, 0o755); err != nil && !errors.Is(err, fs.ErrExist) {
			return err
		}
	case mode&fs.ModeSymlink != 0:
		return os.Symlink(e.link, dst)
	case mode.IsRegular():
		return copyFile(e.host, dst, mode.Perm())
	}
	return nil
}

// isProgramPath says whether the checks of a bootstrap look for p in the
// base image: the programs of its PATH, which run a script bootstrap, the
// program loaders, which run a dynamically linked one, and the top-level
// links (/bin, /lib64) through which they are found.
func isProgramPath(p string) bool {
	dir, name := path.Split(p)
	return slices.Contains(searchPath, strings.TrimSuffix(dir, "/")) || strings.HasPrefix(name, "ld-") || dir == "/"
}

func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	if err := out.Close(); err != nil {
		return err
	}
	// Past the umask, and even when it leaves the owner out.
	return os.Chmod(dst, perm)
}
