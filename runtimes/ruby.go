package runtimes

import (
	"fmt"
	"path"
	"regexp"
	"strings"
)

// Ruby is the Ruby family: a handler is file.method, a method of a Ruby
// file in the task root, or file.Module::Class.method, a class method.
// The gems Bundler installs go in the task root's vendor/bundle, where the
// base image's GEM_PATH looks.
var Ruby Family = rubyFamily{}

type rubyFamily struct{}

// rubyMethod is what follows the file in a handler: a method, of a class
// or module when a constant path comes first.
var rubyMethod = regexp.MustCompile(`^([A-Z][A-Za-z0-9_]*(::[A-Z][A-Za-z0-9_]*)*\.)?[A-Za-z_][A-Za-z0-9_]*[?!]?$`)

func (rubyFamily) Name() string           { return "ruby" }
func (rubyFamily) Language() string       { return "Ruby" }
func (rubyFamily) DefaultHandler() string { return "" }
func (rubyFamily) MissingHandlerError() string {
	return "Init<LoadError> (cannot load such file)"
}
func (rubyFamily) Section() string   { return "" }
func (rubyFamily) Workspaces() bool  { return false }
func (rubyFamily) ShipsOutput() bool { return true }
func (rubyFamily) HandlerHint() string {
	return "app.handler (the method handler in app.rb)"
}

func (rubyFamily) CheckHandler(h string) string {
	file, method, ok := cutRubyHandler(h)
	if !ok || file == "" || strings.HasSuffix(file, "/") || !rubyMethod.MatchString(method) {
		return fmt.Sprintf("%q is not a Ruby handler; write it as file.method, like app.handler for the method handler in app.rb, or app.Module::Class.method for a class method", h)
	}
	return ""
}

// HandlerFiles: app.handler and app.Orders::Handler.process are in app.rb;
// lib/app.handler in lib/app.rb.
func (rubyFamily) HandlerFiles(h string) []string {
	file, _, _ := cutRubyHandler(h)
	return []string{file + ".rb"}
}

// LayerDir: the runtime's GEM_PATH has /opt/ruby/gems/<ABI version>, where
// a layer's ruby/gems/<ABI version> goes.
func (rubyFamily) LayerDir() string { return "ruby/gems" }

// LayerSource: Bundler installs the gems in vendor/bundle/ruby/<ABI
// version>, laid out as a GEM_PATH directory.
func (rubyFamily) LayerSource() string { return "vendor/bundle/ruby" }

// CodeFiles: none. The Gemfile and .bundle/config name vendor/bundle,
// which a function whose gems are in a layer does not have.
func (rubyFamily) CodeFiles() []string { return nil }

// cutRubyHandler splits a handler as the runtime does: the file is what
// comes before the first dot of the last path element.
func cutRubyHandler(h string) (file, method string, ok bool) {
	dir, base := path.Split(h)
	name, method, ok := strings.Cut(base, ".")
	return dir + name, method, ok
}
