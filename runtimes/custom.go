package runtimes

// Custom is the family of the OS-only runtimes used as they are: the
// build commands, or the sources themselves, make a bootstrap executable
// in any language (C++, Swift, Zig, a shell script). build.output becomes
// the task root and its bootstrap is the runtime.
var Custom Family = customFamily{}

type customFamily struct{}

func (customFamily) Name() string                 { return "provided" }
func (customFamily) Language() string             { return "custom runtime" }
func (customFamily) DefaultHandler() string       { return "bootstrap" }
func (customFamily) HandlerHint() string          { return "function.handler" }
func (customFamily) CheckHandler(string) string   { return "" }
func (customFamily) HandlerFiles(string) []string { return nil }
func (customFamily) MissingHandlerError() string  { return "Runtime.InvalidEntrypoint" }
func (customFamily) Section() string              { return "" }
func (customFamily) Workspaces() bool             { return false }
func (customFamily) ShipsOutput() bool            { return true }
