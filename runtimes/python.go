package runtimes

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

// Python is the Python family: a handler is module.function, a function of
// a module in the task root.
var Python Family = pythonFamily{}

type pythonFamily struct{}

var pyIdentifier = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

func (pythonFamily) Name() string           { return "python" }
func (pythonFamily) Language() string       { return "Python" }
func (pythonFamily) DefaultHandler() string { return "" }
func (pythonFamily) MissingHandlerError() string {
	return "Runtime.ImportModuleError (No module named ...)"
}
func (pythonFamily) Section() string   { return "" }
func (pythonFamily) ShipsOutput() bool { return true }
func (pythonFamily) HandlerHint() string {
	return "app.handler (the function handler in app.py)"
}

func (pythonFamily) CheckHandler(h string) string {
	parts := strings.Split(h, ".")
	if len(parts) < 2 || slices.ContainsFunc(parts, func(p string) bool { return !pyIdentifier.MatchString(p) }) {
		return fmt.Sprintf("%q is not a Python handler; write it as module.function, like app.handler for the function handler in app.py", h)
	}
	return ""
}

// HandlerFiles: pkg.app.handler is in pkg/app.py or pkg/app/__init__.py.
func (pythonFamily) HandlerFiles(h string) []string {
	parts := strings.Split(h, ".")
	mod := path.Join(parts[:len(parts)-1]...)
	return []string{mod + ".py", mod + "/__init__.py"}
}
