package runtimes

// Go is the Go family: the function is a bootstrap executable built from
// a package main, on the OS-only runtime. The handler is only passed to
// it.
var Go Family = goFamily{}

type goFamily struct{}

func (goFamily) Name() string                 { return "go" }
func (goFamily) Language() string             { return "Go" }
func (goFamily) DefaultHandler() string       { return "bootstrap" }
func (goFamily) HandlerHint() string          { return "bootstrap" }
func (goFamily) CheckHandler(string) string   { return "" }
func (goFamily) HandlerFiles(string) []string { return nil }
func (goFamily) MissingHandlerError() string  { return "Runtime.InvalidEntrypoint" }
func (goFamily) Section() string              { return "go" }
func (goFamily) Workspaces() bool             { return false }
func (goFamily) ShipsOutput() bool            { return false }
