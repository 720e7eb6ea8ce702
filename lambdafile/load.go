package lambdafile

import (
	"bytes"
	"fmt"
	"reflect"
	"strings"
	"unicode/utf8"

	"github.com/goccy/go-yaml/ast"
	"github.com/goccy/go-yaml/parser"
	"github.com/goccy/go-yaml/token"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// Load decodes and validates lambda.yaml. file names it in errors. Every
// mistake in the file is returned at once, as Errors sorted by place.
func Load(file string, data []byte) (*File, error) {
	fileErr := func(pos Pos, format string, args ...any) error {
		return Errors{{File: file, Pos: pos, Msg: fmt.Sprintf(format, args...)}}
	}
	if len(data) > MaxSize {
		return nil, fileErr(Pos{}, "file is %d bytes, more than the %d a lambda.yaml may have; is -f pointing at the right file?", len(data), MaxSize)
	}
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		return nil, fileErr(Pos{Line: 1, Column: 1}, "file is UTF-16; save it as UTF-8")
	}
	// A UTF-8 byte-order mark is legal YAML and invisible in editors.
	data = bytes.TrimPrefix(data, utf8BOM)
	if pos, ok := firstInvalidUTF8(data); ok {
		return nil, fileErr(pos, "file is not valid UTF-8 (byte 0x%02x); save it as UTF-8", data[offsetOf(data, pos)])
	}

	if err := scanRaw(file, data); err != nil {
		return nil, err
	}
	root, err := parse(file, data)
	if err != nil {
		return nil, err
	}
	s := &File{file: file, positions: map[string]Pos{}}
	d := &decoder{file: file, positions: s.positions, broken: map[string]bool{}}
	d.decode(root, reflect.ValueOf(s).Elem(), "")
	if d.broken[""] {
		// The document is not a mapping: what it lacks is moot.
		return nil, d.errs.sorted()
	}
	errs := append(d.errs, s.validate(d.broken)...)
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	s.applyDefaults()
	return s, nil
}

// parse returns the body of the file's only document.
func parse(file string, data []byte) (body ast.Node, err error) {
	defer func() {
		// The YAML parser is third-party code fed user input; a panic in it
		// must become an error, never a crash of the frontend.
		if r := recover(); r != nil {
			body, err = nil, Errors{{File: file, Msg: fmt.Sprintf("the YAML parser failed on this file (%v); please report it", r)}}
		}
	}()
	f, err := parser.ParseBytes(data, 0)
	if err != nil {
		return nil, syntaxError(file, err)
	}
	var docs []*ast.DocumentNode
	for _, doc := range f.Docs {
		// A %YAML or %TAG directive comes as a document of its own.
		if _, directive := doc.Body.(*ast.DirectiveNode); doc.Body != nil && !directive {
			docs = append(docs, doc)
		}
	}
	if len(docs) == 1 {
		if _, null := docs[0].Body.(*ast.NullNode); null {
			docs = nil // "~" or "null" alone
		}
	}
	switch {
	case len(docs) == 0:
		return nil, Errors{{File: file, Pos: Pos{Line: 1, Column: 1}, Msg: "file has no settings; it needs at least \"runtime:\" (and \"handler:\" for Node.js and Python)"}}
	case len(docs) > 1:
		return nil, Errors{{File: file, Pos: nodePos(docs[1].Body), Msg: "file has more than one YAML document; a lambda.yaml describes one function, remove the second \"---\" and what follows"}}
	}
	return docs[0].Body, nil
}

// syntaxError turns a parser error into an Error at the token it names.
func syntaxError(file string, err error) error {
	var pos Pos
	msg := err.Error()
	if pe, ok := err.(interface {
		GetToken() *token.Token
		GetMessage() string
	}); ok {
		msg = pe.GetMessage()
		if tok := pe.GetToken(); tok != nil && tok.Position != nil {
			pos = Pos{Line: tok.Position.Line, Column: tok.Position.Column}
		}
	}
	if strings.Contains(msg, "'\t'") {
		msg = "a tab cannot indent YAML; indent with spaces"
	}
	return Errors{{File: file, Pos: pos, Msg: "invalid YAML: " + msg}}
}

func firstInvalidUTF8(data []byte) (Pos, bool) {
	pos := Pos{Line: 1, Column: 1}
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		if r == utf8.RuneError && size <= 1 {
			return pos, true
		}
		if r == '\n' {
			pos.Line++
			pos.Column = 1
		} else {
			pos.Column++
		}
		data = data[size:]
	}
	return Pos{}, false
}

// offsetOf is the byte offset of a position in valid-up-to-there UTF-8.
func offsetOf(data []byte, pos Pos) int {
	line, col := 1, 1
	for i := 0; i < len(data); {
		if line == pos.Line && col == pos.Column {
			return i
		}
		r, size := utf8.DecodeRune(data[i:])
		if r == '\n' {
			line++
			col = 1
		} else {
			col++
		}
		i += size
	}
	return len(data) - 1
}

// Name is the name the file was loaded under, as errors show it.
func (s *File) Name() string { return s.file }

// Pos is where the value at a document path (like "build.commands[1]")
// starts, or the zero Pos when the path is not in the file.
func (s *File) Pos(path string) Pos { return s.positions[path] }

// ErrorAt is a mistake about the value at a document path, placed where
// the path is in the file, or at the file's runtime line when the path is
// not in it (a default the runtime chose).
func (s *File) ErrorAt(path, msg string) *Error {
	pos := s.Pos(path)
	if pos.Line == 0 {
		pos = s.Pos("runtime")
	}
	return &Error{File: s.file, Pos: pos, Path: path, Msg: msg}
}
