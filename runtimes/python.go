package runtimes

import (
	"bufio"
	"bytes"
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
func (pythonFamily) Workspaces() bool  { return false }
func (pythonFamily) ShipsOutput() bool { return true }

// SourceDirs holds the src layout of a project that is a package: the
// build installs it into the task root (pip install --target).
func (pythonFamily) SourceDirs() []string { return []string{"src"} }
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

var (
	importLine = regexp.MustCompile(`^import\s+(.+)$`)
	fromLine   = regexp.MustCompile(`^from\s+([A-Za-z_][A-Za-z0-9_.]*)\s+import\b`)
)

// Imports reads the module-level import statements of a Python file: those
// at column 0, outside triple-quoted strings. An import inside a function
// or a try block may be optional, so it is left out, and so are relative
// imports and __future__.
func (pythonFamily) Imports(src []byte) []string {
	var mods []string
	inString := ""
	sc := bufio.NewScanner(bytes.NewReader(src))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		if inString != "" {
			if strings.Count(line, inString)%2 == 1 {
				inString = ""
			}
			continue
		}
		for _, q := range []string{`"""`, "'''"} {
			if strings.Count(line, q)%2 == 1 {
				inString = q
			}
		}
		if inString != "" {
			continue
		}
		code, _, _ := strings.Cut(line, "#")
		if m := fromLine.FindStringSubmatch(code); m != nil {
			mods = append(mods, strings.Split(m[1], ".")[0])
		} else if m := importLine.FindStringSubmatch(code); m != nil {
			for _, part := range strings.Split(m[1], ",") {
				if fields := strings.Fields(part); len(fields) > 0 {
					mods = append(mods, strings.Split(strings.Trim(fields[0], "()"), ".")[0])
				}
			}
		}
	}
	mods = slices.DeleteFunc(mods, func(m string) bool { return m == "" || m == "__future__" || !pyIdentifier.MatchString(m) })
	slices.Sort(mods)
	return slices.Compact(mods)
}

// ModuleDirs: Lambda's sys.path puts the task root first, then layers'
// /opt/python, then the runtime directory, before the standard library.
func (pythonFamily) ModuleDirs(Runtime, string) []string {
	return []string{TaskRoot, "/opt/python", RuntimeDir}
}

// Provides: module m is a directory m (a package, or a namespace package),
// m.py, or an extension module m.so or m.<tag>.so.
func (pythonFamily) Provides(entry, m string) bool {
	name, rest, _ := strings.Cut(entry, ".")
	return name == m && (rest == "" || rest == "py" || rest == "pyc" || strings.HasSuffix(rest, "so"))
}

// ImportError: what Lambda's Python runtime reports for a module it cannot
// import.
func (pythonFamily) ImportError(m string) string {
	return fmt.Sprintf("Runtime.ImportModuleError (No module named '%s')", m)
}

// ImportFix: every manager's dependencies are installed, none left out.
func (pythonFamily) ImportFix(mods string) string {
	return fmt.Sprintf("Add %s to the function's dependencies", mods)
}

// StandardLibraryProbe: os.py is in every CPython's standard library.
func (pythonFamily) StandardLibraryProbe() string { return "os" }

// Builtin: the modules CPython compiles in (Modules/Setup.bootstrap), and
// those Debian's and other builds compile in on top; they have no file.
func (pythonFamily) Builtin(m string) bool { return slices.Contains(pythonBuiltins, m) }

var pythonBuiltins = strings.Fields(`sys builtins _imp _warnings marshal gc posix errno pwd _sre _codecs
	_weakref _functools _operator _collections _abc itertools atexit _signal _stat time _thread _locale _io
	faulthandler _tracemalloc _symtable _ast _tokenize _string _typing _suggestions _sysconfig
	math cmath array binascii select zlib _struct _socket _random _bisect _heapq _datetime _json
	_pickle _contextvars _asyncio _posixsubprocess fcntl grp resource syslog unicodedata`)

// LayerDir: the runtime looks in /opt/python, where a layer's python/ directory goes.
func (pythonFamily) LayerDir() string { return "python" }

// LayerSource: the whole dependency tree.
func (pythonFamily) LayerSource() string { return "." }

// CodeFiles: none: Python reads nothing of its dependencies' root.
func (pythonFamily) CodeFiles() []string { return nil }

// PackageManagers: pip installs every one of them, from requirements the
// frontend reads out of the manager's lockfile.
func (pythonFamily) PackageManagers() []string { return []string{"pip", "uv", "poetry", "pipenv"} }

// ManagerVersions: no manager but the image's pip runs.
func (pythonFamily) ManagerVersions() bool { return false }
