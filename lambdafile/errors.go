package lambdafile

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Pos is a place in lambda.yaml. Lines and columns start at 1; the zero Pos
// means the file as a whole.
type Pos struct {
	Line   int
	Column int
}

// Error is one mistake in lambda.yaml, at a place in the file.
type Error struct {
	File string
	Pos  Pos
	// Path is where in the document the mistake is, like build.commands[1];
	// empty for mistakes in the file as a whole.
	Path string
	Msg  string
}

func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Pos.Line > 0 {
		fmt.Fprintf(&b, ":%d:%d", e.Pos.Line, e.Pos.Column)
	}
	b.WriteString(": ")
	if e.Path != "" {
		b.WriteString(e.Path)
		b.WriteString(": ")
	}
	b.WriteString(e.Msg)
	return b.String()
}

// Errors is every mistake found in one file, sorted by place.
type Errors []*Error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// sorted orders the errors by place and drops exact repeats, so the output
// never depends on the order checks ran in.
func (es Errors) sorted() Errors {
	slices.SortStableFunc(es, func(a, b *Error) int {
		return cmp.Or(cmp.Compare(a.Pos.Line, b.Pos.Line), cmp.Compare(a.Pos.Column, b.Pos.Column),
			cmp.Compare(a.Path, b.Path), cmp.Compare(a.Msg, b.Msg))
	})
	return slices.CompactFunc(es, func(a, b *Error) bool { return *a == *b })
}
