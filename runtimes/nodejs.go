package runtimes

import (
	"fmt"
	"regexp"
	"strings"
)

// Node is the Node.js family: a handler is file.export, the export of a
// JavaScript module in the task root.
var Node Family = nodeFamily{}

type nodeFamily struct{}

var jsIdentifier = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*$`)

func (nodeFamily) Name() string           { return "nodejs" }
func (nodeFamily) Language() string       { return "Node.js" }
func (nodeFamily) DefaultHandler() string { return "" }
func (nodeFamily) MissingHandlerError() string {
	return "Runtime.ImportModuleError (Cannot find module)"
}
func (nodeFamily) Section() string   { return "" }
func (nodeFamily) Workspaces() bool  { return true }
func (nodeFamily) ShipsOutput() bool { return true }
func (nodeFamily) HandlerHint() string {
	return "app.handler (the export handler of app.js)"
}

func (nodeFamily) CheckHandler(h string) string {
	file, export, ok := cutLast(h, ".")
	if !ok || file == "" || !jsIdentifier.MatchString(export) {
		return fmt.Sprintf("%q is not a Node.js handler; write it as file.export, like app.handler for the export handler of app.js", h)
	}
	return ""
}

// HandlerFiles: app.handler is in app.js, app.mjs or app.cjs; src/app.handler
// in src/.
func (nodeFamily) HandlerFiles(h string) []string {
	file, _, _ := cutLast(h, ".")
	return []string{file + ".js", file + ".mjs", file + ".cjs"}
}

// BundleEntries: esbuild reads JavaScript and TypeScript. JavaScript is
// looked for first, since a build that compiles TypeScript writes it.
func (nodeFamily) BundleEntries(h string) []string {
	file, _, _ := cutLast(h, ".")
	var files []string
	for _, ext := range []string{".js", ".mjs", ".cjs", ".ts", ".mts", ".cts"} {
		files = append(files, file+ext)
	}
	return files
}

// cutLast splits s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// LayerDir: the runtime looks in /opt/nodejs/node_modules, where a layer's nodejs/ directory goes.
func (nodeFamily) LayerDir() string { return "nodejs" }

// LayerSource: the whole dependency tree.
func (nodeFamily) LayerSource() string { return "." }

// CodeFiles: package.json's "type" says whether Node loads the code as ES modules.
func (nodeFamily) CodeFiles() []string { return []string{"package.json"} }

// PackageManagers: yarn is yarn classic or berry, as yarn.lock's format or
// the version says.
func (nodeFamily) PackageManagers() []string { return []string{"npm", "pnpm", "yarn", "bun"} }

// ManagerVersions: the build installs the manager with npm.
func (nodeFamily) ManagerVersions() bool { return true }
