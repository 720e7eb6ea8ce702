package runtimes

// Family is what the runtimes of one language share: how a handler is
// written and where its code lives. Its build recipe is in llbgen, which
// looks it up by Name.
type Family interface {
	// Name names the family, like "nodejs".
	Name() string
	// Language is the language's name for people, like "Node.js".
	Language() string
	// DefaultHandler is the handler when lambda.yaml names none; "" makes
	// handler required.
	DefaultHandler() string
	// HandlerHint shows a right handler, for messages: "a handler like ...".
	HandlerHint() string
	// CheckHandler says what is wrong with a handler and how to write it,
	// or "" when it is well formed.
	CheckHandler(handler string) string
	// HandlerFiles are the files, relative to the task root, one of which
	// must hold the handler's code. Nil means the function is an
	// executable bootstrap, which Lambda runs itself.
	HandlerFiles(handler string) []string
	// MissingHandlerError is the error Lambda reports when the handler's
	// code is not in the image, for preflight's message.
	MissingHandlerError() string
	// Section is the lambda.yaml key of the family's own settings, like
	// "go", or "" when it has none.
	Section() string
	// ShipsOutput says whether build.output chooses what ships; a family
	// that builds one binary ships that alone.
	ShipsOutput() bool
	// Workspaces says whether a function can be one package of a
	// monorepo's workspaces (lambda.yaml's workspace).
	Workspaces() bool
}

// Importer is a Family whose handler's imports preflight resolves in the
// image, so that a dependency left out fails the build rather than every
// invocation.
type Importer interface {
	// Imports lists the top-level modules a handler file imports as it
	// loads.
	Imports(src []byte) []string
	// ModuleDirs are the image directories, besides the base image's own
	// libraries, where runtime rt looks for a module that the file at
	// handlerFile imports.
	ModuleDirs(rt Runtime, handlerFile string) []string
	// Provides says whether a directory entry named entry is the module
	// name, less its scope (the directory of a scoped module is its
	// scope's).
	Provides(entry, name string) bool
	// Builtin says whether a module is compiled into the interpreter, with
	// no file to find.
	Builtin(module string) bool
	// StandardLibraryProbe is a module every installation of the language
	// has as a file: an image without it has its library somewhere the
	// checks do not know, and its imports cannot be judged. "" when the
	// standard library is compiled in, with no file to look for.
	StandardLibraryProbe() string
	// ImportError is the error Lambda reports when module is missing.
	ImportError(module string) string
	// ImportFix says how to add the modules mods (a list for people) to
	// the image.
	ImportFix(mods string) string
}

// SourceLayout is a Family whose project can keep its code in a source
// directory the build installs into the task root, as a Python package
// with the src layout is: the handler's file may be there in the build
// context. Preflight still checks the task root.
type SourceLayout interface {
	// SourceDirs are those directories, relative to the project's root.
	SourceDirs() []string
}

// Layered is a Family whose runtime finds dependencies in a Lambda layer:
// under /opt/LayerDir(), laid out as LayerSource() is in the task root.
type Layered interface {
	// LayerDir is the layer's directory for the dependencies, like
	// "nodejs" (for nodejs/node_modules) or "python".
	LayerDir() string
	// LayerSource is the directory of the task root's dependencies that
	// goes into LayerDir, "." for all of them.
	LayerSource() string
	// CodeFiles are files of the dependency tree's root that the code
	// needs beside it when the dependencies move to a layer.
	CodeFiles() []string
}

// Compiled is a Family whose handler's files the build compiles from
// sources, as Java's class files are: the build context has none of them to
// check, and in the image they may be packed in archives (jars).
type Compiled interface {
	// Output is the build's output directory, relative to the sources,
	// when build.output does not name one.
	Output() string
	// LibraryDirs are the task root's directories whose archives the
	// runtime loads code from.
	LibraryDirs() []string
}

// Bundled is a Family whose handler the build can bundle into one file with
// what it imports (build.bundle), as esbuild bundles JavaScript.
type Bundled interface {
	// BundleEntries are the files, relative to the task root's source,
	// the bundle may start from, in the order they are looked for: the
	// handler's file in each language the bundler reads.
	BundleEntries(handler string) []string
}

// Managed is a Family whose dependencies one of several package managers
// installs, which build.packageManager can choose.
type Managed interface {
	// PackageManagers are the managers' names.
	PackageManagers() []string
	// ManagerVersions says whether build.packageManager may pin the
	// manager's version, as name@x.y.z: whether the build installs the
	// manager itself.
	ManagerVersions() bool
}
