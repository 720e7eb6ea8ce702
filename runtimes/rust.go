package runtimes

// Rust is the Rust family: like Go, the function is one executable, built
// with Cargo and shipped as the OS-only runtime's bootstrap.
var Rust Family = rustFamily{}

type rustFamily struct{}

func (rustFamily) Name() string                 { return "rust" }
func (rustFamily) Language() string             { return "Rust" }
func (rustFamily) DefaultHandler() string       { return "bootstrap" }
func (rustFamily) HandlerHint() string          { return "bootstrap" }
func (rustFamily) CheckHandler(string) string   { return "" }
func (rustFamily) HandlerFiles(string) []string { return nil }
func (rustFamily) MissingHandlerError() string  { return "Runtime.InvalidEntrypoint" }
func (rustFamily) Section() string              { return "rust" }
func (rustFamily) Workspaces() bool             { return false }
func (rustFamily) ShipsOutput() bool            { return false }
