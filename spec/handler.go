package spec

import (
	"path"
	"strings"
)

// HandlerFiles are the files, relative to the task root, one of which must
// hold a handler's code: file.js, file.mjs or file.cjs for a Node.js
// file.export, and pkg/mod.py or pkg/mod/__init__.py for a Python
// pkg.mod.function. Nil for Go, whose handler is the bootstrap binary.
func HandlerFiles(r Runtime, handler string) []string {
	switch r.Family() {
	case FamilyNode:
		file, _, _ := cutLast(handler, ".")
		return []string{file + ".js", file + ".mjs", file + ".cjs"}
	case FamilyPython:
		parts := strings.Split(handler, ".")
		mod := path.Join(parts[:len(parts)-1]...)
		return []string{mod + ".py", mod + "/__init__.py"}
	}
	return nil
}
