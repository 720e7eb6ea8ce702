package preflight

import (
	"fmt"
	"os"
	"path"
	"regexp"
	"slices"
	"strings"

	"github.com/buildkit-lambda/buildkit-lambda/runtimes"
)

// pythonLibEntry matches an entry of a Python installation's module
// directories: the standard library, its extension modules, and the
// site-packages and dist-packages of the base image.
var pythonLibEntry = regexp.MustCompile(`^/(?:usr/local|usr|var/lang)/lib/python3(?:\.\d+)?(?:/(?:lib-dynload|site-packages|dist-packages))?/([^/]+)$`)

// libraryModule is the module an entry of a library directory provides,
// or "" for other entries (metadata, caches).
func libraryModule(p string) string {
	m := pythonLibEntry.FindStringSubmatch(p)
	if m == nil {
		return ""
	}
	name, _, _ := strings.Cut(m[1], ".")
	if name == "" || name == "__pycache__" || strings.ContainsAny(name, "-") {
		return ""
	}
	return name
}

// imports checks that every module the handler's file imports at load is
// in the image: a dependency missing from the lock, the requirements or the
// production dependencies would otherwise fail every invocation with
// Runtime.ImportModuleError.
func (c *checker) imports(imp runtimes.Importer, handlerFile string) {
	host, fi, err := c.image.stat(handlerFile)
	if err != nil || !fi.Mode().IsRegular() {
		return // the handler check reports it
	}
	src, err := os.ReadFile(host)
	if err != nil {
		return
	}
	if probe := imp.StandardLibraryProbe(); probe != "" && !slices.Contains(c.libraryModules, probe) {
		c.notes = append(c.notes, "imports not checked: the image has no standard library where the checks look for it (a custom base image?)")
		return
	}
	info, _ := c.in.Runtime.Info()
	dirs := imp.ModuleDirs(info, handlerFile)
	var missing []string
	for _, m := range imp.Imports(src) {
		if imp.Builtin(m) || slices.Contains(c.libraryModules, m) || c.inModuleDirs(imp, dirs, m) {
			continue
		}
		missing = append(missing, m)
	}
	if len(missing) > 0 {
		c.add("imports", "%s imports %s, which the image does not have; Lambda would fail every invocation with %s. %s",
			handlerFile, strings.Join(missing, ", "), imp.ImportError(missing[0]), imp.ImportFix(orJoin(missing)))
	}
}

// inModuleDirs says whether one of dirs has module m; a scoped module,
// @scope/name, is name in the scope's directory.
func (c *checker) inModuleDirs(imp runtimes.Importer, dirs []string, m string) bool {
	scope, name := path.Split(m)
	for _, dir := range dirs {
		for _, entry := range c.image.readDir(path.Join(dir, scope)) {
			if imp.Provides(strings.TrimSuffix(entry, "/"), name) {
				return true
			}
		}
	}
	return false
}

func orJoin(xs []string) string {
	if len(xs) == 1 {
		return xs[0]
	}
	return fmt.Sprintf("%s and %s", strings.Join(xs[:len(xs)-1], ", "), xs[len(xs)-1])
}
