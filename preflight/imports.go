package preflight

import (
	"fmt"
	"os"
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
// in the image: a dependency missing from the lock or the requirements
// would otherwise fail every invocation with Runtime.ImportModuleError.
func (c *checker) imports(imp runtimes.Importer, handlerFile string) {
	host, fi, err := c.image.stat(handlerFile)
	if err != nil || !fi.Mode().IsRegular() {
		return // the handler check reports it
	}
	src, err := os.ReadFile(host)
	if err != nil {
		return
	}
	if !slices.Contains(c.libraryModules, imp.StandardLibraryProbe()) {
		c.notes = append(c.notes, "imports not checked: the image has no standard library where the checks look for it (a custom base image?)")
		return
	}
	var missing []string
	for _, m := range imp.Imports(src) {
		if imp.Builtin(m) || slices.Contains(c.libraryModules, m) || c.inModuleDirs(imp, m) {
			continue
		}
		missing = append(missing, m)
	}
	if len(missing) > 0 {
		c.add("imports", "%s imports %s, which the image does not have; Lambda would fail every invocation with Runtime.ImportModuleError (No module named '%s'). Add %s to the function's dependencies",
			handlerFile, strings.Join(missing, ", "), missing[0], orJoin(missing))
	}
}

func (c *checker) inModuleDirs(imp runtimes.Importer, m string) bool {
	for _, dir := range imp.ModuleDirs() {
		for _, name := range c.image.readDir(dir) {
			if imp.Provides(strings.TrimSuffix(name, "/"), m) {
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
