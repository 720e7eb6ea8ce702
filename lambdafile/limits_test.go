package lambdafile_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/internal/golden"
	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
)

// hostile inputs, each near or past one limit; see docs/limits.md.
func hostile() map[string]string {
	repeat := func(format string, n int) string {
		var b strings.Builder
		for i := range n {
			fmt.Fprintf(&b, format, i)
		}
		return b.String()
	}
	node := "runtime: nodejs22\nhandler: app.handler\n"
	return map[string]string{
		"deep flow nesting":   node + "labels: " + strings.Repeat("[", 200000) + strings.Repeat("]", 200000) + "\n",
		"many lines":          node + repeat("# %d\n", lambdafile.MaxLines+1),
		"many flow entries":   node + "labels: {" + repeat("k%d: v, ", lambdafile.MaxFlowEntries+1) + "}\n",
		"wide block mapping":  node + "labels:\n" + repeat("  k%d: v\n", lambdafile.MaxEntries+1),
		"long list":           node + "build:\n  commands:\n" + repeat("    - echo %d\n", lambdafile.MaxEntries+1),
		"many commands":       node + "build:\n  commands:\n" + repeat("    - echo %d\n", lambdafile.MaxCommands+1),
		"many secrets":        node + "secrets:\n" + repeat("  - id: s%d\n", lambdafile.MaxSecrets+1),
		"long value":          node + "env:\n  BIG: " + strings.Repeat("x", lambdafile.MaxValue+1) + "\n",
		"args times commands": node + "args:\n  BIG: " + strings.Repeat("x", 60000) + "\nbuild:\n  commands:\n" + repeat("    - echo %d\n", 80),
		"huge unknown key":    node + strings.Repeat("k", 900000) + ": 1\n",
		"empty command":       node + "build:\n  commands:\n    - echo\n    -\n    - \"  \"\n",
	}
}

func TestLimits(t *testing.T) {
	for name, want := range map[string]struct {
		msg  string
		line int
	}{
		"deep flow nesting":   {"collections nest more than 16 levels deep here", 3},
		"many lines":          {"the file has more than 2000 lines", 2001},
		"many flow entries":   {"more than 5000 entries in [...] and {...}", 3},
		"wide block mapping":  {"has 501 keys, more than the 500 a mapping may have", 4},
		"long list":           {"has 501 items, more than the 500 a list may have", 5},
		"many commands":       {"has 101 commands, more than 100", 5},
		"many secrets":        {"lists 33 secrets, more than 32", 4},
		"long value":          {"is 65537 bytes long, more than the 65536 a value may have", 4},
		"args times commands": {"given to each of the 80 build commands, are more than 4194304 bytes", 4},
		"huge unknown key":    {`unknown key "kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk... (900000 bytes)" in lambda.yaml`, 3},
		"empty command":       {"build.commands[1]: is empty; remove it, or write the command", 6},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := lambdafile.Load("lambda.yaml", []byte(hostile()[name]))
			var errs lambdafile.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("got %v, want lambdafile.Errors", err)
			}
			for _, e := range errs {
				if strings.Contains(e.Error(), want.msg) {
					if e.Pos.Line != want.line {
						t.Errorf("%q at line %d, want line %d", e.Msg, e.Pos.Line, want.line)
					}
					if len(e.Error()) > 500 {
						t.Errorf("the message is %d bytes long", len(e.Error()))
					}
					return
				}
			}
			t.Errorf("no error says %q:\n%s", want.msg, shortErr(err))
		})
	}
}

func shortErr(err error) string {
	s := err.Error()
	if len(s) > 2000 {
		return s[:2000] + "..."
	}
	return s
}

// TestLimitsDoc keeps docs/limits.md's table the limits' own; go test
// ./... -update rewrites it.
func TestLimitsDoc(t *testing.T) {
	var b strings.Builder
	b.WriteString("| limit | at most |\n| --- | --- |\n")
	for _, l := range lambdafile.LimitsTable() {
		fmt.Fprintf(&b, "| %s | %d |\n", l.What, l.Value)
	}
	golden.CheckSection(t, "../docs/limits.md", "<!-- limits: generated from lambdafile/limits.go by go test ./lambdafile -update -->", "<!-- end of limits -->", []byte(b.String()))
}
