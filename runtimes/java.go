package runtimes

import (
	"fmt"
	"regexp"
	"strings"
)

// Java is the Java family: a handler is package.Class::method, or
// package.Class for a class that implements one of the RequestHandler
// interfaces. The class is compiled by the build; the runtime loads it from
// the task root or from a jar in the task root's lib directory.
var Java Family = javaFamily{}

type javaFamily struct{}

// javaHandler is a fully qualified class name, then ::method if given.
var javaHandler = regexp.MustCompile(`^[A-Za-z_$][A-Za-z0-9_$]*(\.[A-Za-z_$][A-Za-z0-9_$]*)*(::[A-Za-z_$][A-Za-z0-9_$]*)?$`)

func (javaFamily) Name() string           { return "java" }
func (javaFamily) Language() string       { return "Java" }
func (javaFamily) DefaultHandler() string { return "" }
func (javaFamily) HandlerHint() string {
	return "example.Handler::handleRequest (the method handleRequest of class example.Handler)"
}
func (javaFamily) MissingHandlerError() string {
	return "java.lang.ClassNotFoundException (Class not found)"
}
func (javaFamily) Section() string   { return "" }
func (javaFamily) Workspaces() bool  { return false }
func (javaFamily) ShipsOutput() bool { return true }

func (javaFamily) CheckHandler(h string) string {
	if !javaHandler.MatchString(h) {
		return fmt.Sprintf("%q is not a Java handler; write it as package.Class::method, like example.Handler::handleRequest, or package.Class for a class that implements RequestHandler", h)
	}
	return ""
}

// HandlerFiles: example.Handler::handleRequest is in example/Handler.class.
func (javaFamily) HandlerFiles(h string) []string {
	class, _, _ := strings.Cut(h, "::")
	return []string{strings.ReplaceAll(class, ".", "/") + ".class"}
}

// Output is where Maven compiles the classes and copies the resources, and
// where the build gathers Gradle's.
func (javaFamily) Output() string { return "target/classes" }

// LibraryDirs: the runtime adds every jar of the task root's lib directory
// to the class path, as AWS's Java images lay a function out.
func (javaFamily) LibraryDirs() []string { return []string{"lib"} }

// LayerDir: the runtime looks in /opt/java/lib, where a layer's java/ directory goes.
func (javaFamily) LayerDir() string { return "java" }

// LayerSource: the whole dependency tree.
func (javaFamily) LayerSource() string { return "." }

// CodeFiles: none: the jars are all there is.
func (javaFamily) CodeFiles() []string { return nil }
