package runtimes

// The families whose function is an executable bootstrap, run by Lambda on
// an OS-only runtime; the handler is only passed to it, as _HANDLER.
var (
	// Go builds a package main into the bootstrap.
	Go Family = bootstrapFamily{name: "go", language: "Go", section: "go", hint: "bootstrap"}
	// Rust builds a Cargo package's binary into the bootstrap.
	Rust Family = bootstrapFamily{name: "rust", language: "Rust", section: "rust", hint: "bootstrap"}
	// Custom uses the OS-only runtime as it is: the build commands, or
	// nobody, for a script, make a bootstrap in any language (C++, Swift,
	// Zig, shell). build.output becomes the task root and its bootstrap is
	// the runtime.
	Custom Family = bootstrapFamily{name: "provided", language: "custom runtime", hint: "function.handler", shipsOutput: true}
)

// bootstrapFamily is one family of bootstrap executables.
type bootstrapFamily struct {
	name, language string
	// section is the family's own lambda.yaml key, if any.
	section string
	// hint is a handler to show in messages.
	hint string
	// shipsOutput is set when build.output, not one built binary, is
	// what ships.
	shipsOutput bool
}

func (f bootstrapFamily) Name() string               { return f.name }
func (f bootstrapFamily) Language() string           { return f.language }
func (bootstrapFamily) DefaultHandler() string       { return "bootstrap" }
func (f bootstrapFamily) HandlerHint() string        { return f.hint }
func (bootstrapFamily) CheckHandler(string) string   { return "" }
func (bootstrapFamily) HandlerFiles(string) []string { return nil }
func (bootstrapFamily) MissingHandlerError() string  { return "Runtime.InvalidEntrypoint" }
func (f bootstrapFamily) Section() string            { return f.section }
func (bootstrapFamily) Workspaces() bool             { return false }
func (f bootstrapFamily) ShipsOutput() bool          { return f.shipsOutput }
