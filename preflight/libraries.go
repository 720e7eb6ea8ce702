package preflight

import (
	"bufio"
	"debug/elf"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
)

// defaultLibraryDirs are where glibc's dynamic loader looks for a library
// after LD_LIBRARY_PATH, the program's run path and its cache.
var defaultLibraryDirs = []string{"/lib64", "/usr/lib64", "/lib", "/usr/lib"}

// libraryName matches a shared library's file name: libz.so, libz.so.1.
var libraryName = regexp.MustCompile(`\.so(?:\.[0-9.]+)?$`)

// libraryDirs are the directories of LD_LIBRARY_PATH, then the loader's
// own.
func libraryDirs(libraryPath string) []string {
	var dirs []string
	for _, d := range strings.Split(libraryPath, ":") {
		if path.IsAbs(d) {
			dirs = append(dirs, path.Clean(d))
		}
	}
	return append(dirs, defaultLibraryDirs...)
}

// loaderConfigDirs are the directories /etc/ld.so.conf of the image at
// root names, following its includes, from which ldconfig builds the
// loader's cache: Debian's multiarch /usr/lib/x86_64-linux-gnu, say.
func loaderConfigDirs(root string) []string {
	var dirs []string
	seen := map[string]bool{}
	var read func(file string)
	read = func(file string) {
		if seen[file] || len(seen) > 64 {
			return
		}
		seen[file] = true
		f, err := os.Open(filepath.Join(root, filepath.FromSlash(file)))
		if err != nil {
			return
		}
		defer f.Close()
		sc := bufio.NewScanner(f)
		for sc.Scan() {
			line, _, _ := strings.Cut(sc.Text(), "#")
			fields := strings.Fields(line)
			switch {
			case len(fields) == 2 && fields[0] == "include":
				pattern := fields[1]
				if !path.IsAbs(pattern) {
					pattern = path.Join(path.Dir(file), pattern)
				}
				matches, _ := filepath.Glob(filepath.Join(root, filepath.FromSlash(pattern)))
				for _, m := range matches {
					if rel, err := filepath.Rel(root, m); err == nil {
						read("/" + filepath.ToSlash(rel))
					}
				}
			case len(fields) == 1 && path.IsAbs(fields[0]):
				dirs = append(dirs, path.Clean(fields[0]))
			}
		}
	}
	read("/etc/ld.so.conf")
	return dirs
}

// libraries are the names of the shared libraries in dirs, following
// links within the image, sorted.
func (ls layers) libraries(dirs []string) []string {
	var names []string
	for _, dir := range dirs {
		resolved, err := ls.resolve(dir)
		if err != nil {
			continue // no such directory
		}
		for _, name := range ls.readDir(resolved) {
			if libraryName.MatchString(name) { // a directory's name ends in a slash
				names = append(names, name)
			}
		}
	}
	slices.Sort(names)
	return slices.Compact(names)
}

// sharedLibraries checks that the dynamic loader finds every library an
// ELF program needs (its DT_NEEDED entries) in the image: in its run path,
// on LD_LIBRARY_PATH, in the base image's library directories, or, when
// the base is not known apart, in the loader's own directories. A program
// linked on a richer build image (libssl, libsqlite3) otherwise starts on
// Lambda only to exit with "error while loading shared libraries".
func (c *checker) sharedLibraries(prog program, p, host string) {
	f, err := elf.Open(host)
	if err != nil {
		return
	}
	defer f.Close()
	needed, err := f.ImportedLibraries()
	if err != nil || len(needed) == 0 {
		return
	}
	var dirs []string
	for _, d := range append(c.runPath(f, p), libraryDirs(c.in.LibraryPath)...) {
		if !slices.Contains(dirs, d) {
			dirs = append(dirs, d)
		}
	}
	var missing []string
	for _, lib := range needed {
		if !c.findsLibrary(lib, dirs) {
			missing = append(missing, lib)
		}
	}
	if slices.Contains(missing, "libc.so.6") {
		c.notes = append(c.notes, "shared libraries of "+p+" not checked: the image has no libc.so.6 where the checks look (a base image without glibc?)")
		return
	}
	if len(missing) > 0 {
		c.add(prog.check, "%s needs %s, which the image does not have where the dynamic loader looks (%s, and the base image's library directories); Lambda would fail with %s (error while loading shared libraries: %s: cannot open shared object file). Link it statically, or ship it in /var/task/lib or /opt/lib",
			p, orJoin(missing), strings.Join(dirs, ":"), prog.exitFailure, missing[0])
	}
}

// runPath is the program's DT_RUNPATH, or its DT_RPATH when it has none,
// with $ORIGIN the directory it is in.
func (c *checker) runPath(f *elf.File, p string) []string {
	paths, _ := f.DynString(elf.DT_RUNPATH)
	if len(paths) == 0 {
		paths, _ = f.DynString(elf.DT_RPATH)
	}
	origin := path.Dir(p)
	if resolved, err := c.image.resolve(p); err == nil {
		origin = path.Dir(resolved)
	}
	var dirs []string
	for _, list := range paths {
		for _, d := range strings.Split(list, ":") {
			d = strings.ReplaceAll(strings.ReplaceAll(d, "${ORIGIN}", origin), "$ORIGIN", origin)
			if path.IsAbs(d) && !strings.Contains(d, "$") {
				dirs = append(dirs, path.Clean(d))
			}
		}
	}
	return dirs
}

// findsLibrary says whether the loader finds lib, a name or a path.
func (c *checker) findsLibrary(lib string, dirs []string) bool {
	if strings.Contains(lib, "/") {
		return c.isFile(lib)
	}
	if slices.Contains(c.in.BaseLibraries, lib) {
		return true
	}
	return slices.ContainsFunc(dirs, func(d string) bool { return c.isFile(path.Join(d, lib)) })
}
