package preflight

import (
	"archive/zip"
	"fmt"
	"os"
	"path"
	"path/filepath"
	"strings"

	"github.com/buildkit-lambda/buildkit-lambda/runtimes"
)

// PrepareDeps checks the dependency layer at root on its own, for native
// code of another architecture or glibc, unreadable files and the size
// limit, and writes to out a stand-in of the layer for the checks of the
// code (see Input.StandIns): the listing of every entry, with its mode,
// size and link target, and the content of only the files those checks
// open (see readAcross).
//
// The build runs it in a step of its own, which BuildKit caches with the
// dependency layer. The checks of a code change then read the stand-in
// and the code: a builder that imports a registry cache pulls a listing of
// a few hundred kilobytes and unpacks a few files, where it would pull
// every dependency and unpack thousands of files (tens of megabytes of
// native wheels for a Python function).
func PrepareDeps(root, out string, in Input) (Report, error) {
	fam := in.Runtime.Family()
	if fam == nil {
		return Report{}, fmt.Errorf("unknown runtime %q", in.Runtime)
	}
	layer := dirLayers(root)
	c := &checker{image: layer, in: in}
	if err := c.walk(); err != nil {
		return Report{}, err
	}
	keep, jars := readAcross(fam, in.Handler, layer)
	w := &standInWriter{dir: out}
	err := layer.walk(func(e entry) error {
		if jars[e.path] && e.info.Mode().IsRegular() {
			return w.addJarOfNames(e)
		}
		return w.add(e, keep[e.path])
	})
	if err == nil {
		err = w.finish()
	}
	if err != nil {
		return Report{}, fmt.Errorf("writing the dependencies' stand-in: %w", err)
	}
	return Report{Problems: c.problems, Notes: c.notes}, nil
}

// readAcross names the files of a dependency layer whose content the
// checks of the code open: to keep whole, the handler's files (a Python
// package installed from the project can hold the handler) and the
// bootstrap, each with what it links to; to keep as their entries' names,
// the jars of a compiled family's library directories, where the handler's
// class may be. The checks ask only whether any other file is there, with
// what mode and size, which the listing says.
func readAcross(fam runtimes.Family, handler string, layer layers) (keep, jars map[string]bool) {
	keep, jars = map[string]bool{}, map[string]bool{}
	var want []string
	for _, f := range fam.HandlerFiles(handler) {
		want = append(want, path.Join(taskRoot, f))
	}
	for _, p := range append(want, runtimeDir+"/bootstrap", taskRoot+"/bootstrap") {
		keep[p] = true
		if resolved, err := layer.resolve(p); err == nil {
			keep[resolved] = true
		}
	}
	if compiled, ok := fam.(runtimes.Compiled); ok {
		for _, dir := range compiled.LibraryDirs() {
			dir = path.Join(taskRoot, dir)
			for _, name := range layer.readDir(dir) {
				if strings.HasSuffix(name, ".jar") {
					jars[path.Join(dir, name)] = true
				}
			}
		}
	}
	return keep, jars
}

// jarOfNames writes to dst a jar with the entries of the jar at src,
// empty: the handler check looks a class up by name, and the jar's native
// code was checked with the dependencies. It writes nothing, and says so,
// when src is not a zip: there is no class in it either.
func jarOfNames(src, dst string) (bool, error) {
	names, err := jarEntries(src)
	if err != nil {
		return false, nil
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return false, err
	}
	f, err := os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return false, err
	}
	w := zip.NewWriter(f)
	for _, name := range names {
		if _, err := w.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Store}); err != nil {
			f.Close()
			return false, err
		}
	}
	if err := w.Close(); err != nil {
		f.Close()
		return false, err
	}
	return true, f.Close()
}
