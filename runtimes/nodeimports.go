package runtimes

import (
	"fmt"
	"path"
	"regexp"
	"slices"
	"strings"
)

var (
	// requireCall is a require("x") call; require.resolve and __require do
	// not match.
	requireCall = regexp.MustCompile(`(?:^|[^\w$.])require\s*\(\s*(['"])([^'"]+)['"]\s*\)`)
	// importFrom is an import or export statement that loads a module, and
	// the closing line of one written over several lines ("} from 'x'").
	importFrom = regexp.MustCompile(`^(?:(?:import|export)\b.*?\bfrom|\}\s*from|import)\s*(['"])([^'"]+)['"]`)
	// conditional marks a statement whose require may never run or may be
	// caught: an optional dependency, a lazy load, a fallback.
	conditional = regexp.MustCompile(`\b(?:try|catch|if|else|function|switch|case|while|for|do)\b|=>|\?[^.?]|\|\||&&`)
)

// Imports reads what a JavaScript file (CommonJS or an ES module) loads as
// it loads: require("x") in a statement at column 0, and import and export
// statements from "x", outside comments and template literals. A require
// that is indented (in a function or a block), in a try, behind a
// condition or in a function written on one line may be optional or lazy,
// so it is left out, and so are dynamic import(), relative and absolute
// paths and subpath imports (#x). What comes back is the package's name
// (@scope/name for a scoped one), or the specifier itself for node:x.
func (nodeFamily) Imports(src []byte) []string {
	var mods []string
	for _, line := range topLevelJS(string(src)) {
		var specs []string
		if m := importFrom.FindStringSubmatch(line.code); m != nil {
			specs = append(specs, m[2])
		} else if !conditional.MatchString(line.blanked) {
			for _, m := range requireCall.FindAllStringSubmatchIndex(line.code, -1) {
				// The call itself is code, not words in a string.
				if call := line.code[m[0]:m[3]]; line.blanked[m[0]:m[3]] == call {
					specs = append(specs, line.code[m[4]:m[5]])
				}
			}
		}
		for _, s := range specs {
			if p := packageOf(s); p != "" {
				mods = append(mods, p)
			}
		}
	}
	slices.Sort(mods)
	return slices.Compact(mods)
}

// packageOf is the package a specifier loads from, "" for a file or a URL.
func packageOf(spec string) string {
	if strings.HasPrefix(spec, "node:") {
		return spec
	}
	if strings.HasPrefix(spec, ".") || strings.HasPrefix(spec, "/") || strings.HasPrefix(spec, "#") || strings.Contains(spec, ":") {
		return ""
	}
	parts := strings.SplitN(spec, "/", 3)
	if strings.HasPrefix(spec, "@") {
		if len(parts) < 2 || parts[1] == "" {
			return ""
		}
		return parts[0] + "/" + parts[1]
	}
	return parts[0]
}

// jsLine is a line of JavaScript that starts at column 0 in code: code
// has its comments removed, blanked has the contents of its strings
// blanked out too (same length, so indexes agree), so that a word in a
// string is not taken for code.
type jsLine struct{ code, blanked string }

// topLevelJS returns the lines of src that start at column 0 outside a
// comment, a string or a template literal. It follows strings, comments
// and template literals character by character; a regular expression
// literal holding a quote can mislead it for the rest of its line only,
// since strings end at the line's end.
func topLevelJS(src string) []jsLine {
	var lines []jsLine
	var code, blanked strings.Builder
	const (
		inCode = iota
		inLineComment
		inBlockComment
		inString
		inTemplate
	)
	state, quote, lineStart := inCode, byte(0), true
	keep := false
	flush := func() {
		if keep {
			lines = append(lines, jsLine{code: code.String(), blanked: blanked.String()})
		}
		code.Reset()
		blanked.Reset()
	}
	for i := 0; i < len(src); i++ {
		c := src[i]
		if lineStart {
			keep = state == inCode && c != ' ' && c != '\t' && c != '\n' && c != '\r'
			lineStart = false
		}
		if c == '\n' {
			flush()
			lineStart = true
			if state == inLineComment || state == inString {
				state = inCode
			}
			continue
		}
		switch state {
		case inCode:
			switch {
			case c == '/' && i+1 < len(src) && src[i+1] == '/':
				state = inLineComment
			case c == '/' && i+1 < len(src) && src[i+1] == '*':
				state, i = inBlockComment, i+1
			case c == '\'' || c == '"':
				state, quote = inString, c
				code.WriteByte(c)
				blanked.WriteByte(c)
			case c == '`':
				state = inTemplate
			default:
				code.WriteByte(c)
				blanked.WriteByte(c)
			}
		case inBlockComment:
			if c == '*' && i+1 < len(src) && src[i+1] == '/' {
				state, i = inCode, i+1
			}
		case inString:
			code.WriteByte(c)
			switch c {
			case '\\':
				blanked.WriteByte(' ')
				if i+1 < len(src) && src[i+1] != '\n' {
					i++
					code.WriteByte(src[i])
					blanked.WriteByte(' ')
				}
			case quote:
				state = inCode
				blanked.WriteByte(c)
			default:
				blanked.WriteByte(' ')
			}
		case inTemplate:
			switch c {
			case '\\':
				i++
			case '`':
				state = inCode
			}
		}
	}
	flush()
	return lines
}

// ModuleDirs: Node.js looks in the node_modules of the handler file's
// directory and of each one above it, then in the directories of the
// NODE_PATH that the bootstrap of AWS's base images sets: a layer's
// /opt/nodejs/node<major>/node_modules and /opt/nodejs/node_modules, the
// runtime's own node_modules (where AWS's images have the AWS SDK for
// JavaScript v3), the runtime directory and the task root.
func (nodeFamily) ModuleDirs(rt Runtime, handlerFile string) []string {
	var dirs []string
	for d := path.Dir(handlerFile); ; d = path.Dir(d) {
		if path.Base(d) != "node_modules" {
			dirs = append(dirs, path.Join(d, "node_modules"))
		}
		if d == "/" || d == "." {
			break
		}
	}
	if rt.Version != "" {
		dirs = append(dirs, "/opt/nodejs/node"+rt.Version+"/node_modules")
	}
	return append(dirs, "/opt/nodejs/node_modules", RuntimeDir+"/node_modules", RuntimeDir, TaskRoot)
}

// Provides: a package is a directory (or a link to one) of its name, or, as
// require finds a file, name.js, name.json or name.node.
func (nodeFamily) Provides(entry, name string) bool {
	return entry == name || entry == name+".js" || entry == name+".json" || entry == name+".node"
}

// Builtin: the modules Node.js compiles in, as require("module").builtinModules
// lists them, with or without node:, and those only node: names.
func (nodeFamily) Builtin(m string) bool {
	return strings.HasPrefix(m, "node:") || slices.Contains(nodeBuiltins, m)
}

var nodeBuiltins = strings.Fields(`_http_agent _http_client _http_common _http_incoming _http_outgoing
	_http_server _stream_duplex _stream_passthrough _stream_readable _stream_transform _stream_wrap
	_stream_writable _tls_common _tls_wrap assert async_hooks buffer child_process cluster console
	constants crypto dgram diagnostics_channel dns domain events fs http http2 https inspector module
	net os path perf_hooks process punycode querystring readline repl stream string_decoder sys timers
	tls trace_events tty url util v8 vm wasi worker_threads zlib`)

// StandardLibraryProbe: Node.js compiles its standard library in; there is
// no file to look for.
func (nodeFamily) StandardLibraryProbe() string { return "" }

// ImportError: what Lambda's Node.js runtime reports for a package it
// cannot find.
func (nodeFamily) ImportError(m string) string {
	return fmt.Sprintf("Runtime.ImportModuleError (Error: Cannot find module '%s')", m)
}

// ImportFix: a package the code needs at run time belongs in
// dependencies; the image has no devDependencies.
func (nodeFamily) ImportFix(mods string) string {
	return fmt.Sprintf("Add %s to package.json's dependencies (the image installs no devDependencies)", mods)
}
