package lambdafile

import "fmt"

// Limits no real function comes near, so that a hostile or careless file
// cannot make the frontend spend more than a fraction of a second or a few
// megabytes on it: a shared builder loads lambda.yaml files from every
// branch. Each is checked before the work it bounds, and reported at the
// line that crossed it.
const (
	// MaxSize is the largest file. A real lambda.yaml is a few hundred
	// bytes.
	MaxSize = 1 << 20
	// MaxLines bounds the lines, and MaxFlowEntries the entries of flow
	// collections ([a, b], {a: b}): the YAML parser's time grows with the
	// square of a mapping's keys, so they are counted on the raw bytes,
	// before it runs.
	MaxLines       = 2000
	MaxFlowEntries = 5000
	// MaxDepth bounds how deep flow collections nest; lambda.yaml needs
	// two levels. It is counted on the raw bytes, since the parser's memory
	// grows with the square of it. Block nesting costs the parser little,
	// and the decoder follows none deeper than lambda.yaml's own keys.
	MaxDepth = 16
	// MaxEntries bounds the keys of a mapping (env, labels, args, ...) and
	// the items of a list.
	MaxEntries = 500
	// MaxCommands bounds build.commands and MaxSecrets secrets: every
	// command is a step that mounts every secret and sees every build
	// argument, so the build definition grows with their product.
	MaxCommands = 100
	MaxSecrets  = 32
	// MaxValue bounds a single value, a build command included.
	MaxValue = 64 << 10
	// MaxStepEnv bounds what the build arguments add to the build
	// commands' steps: their names and values, once per command.
	MaxStepEnv = 4 << 20
)

// Limit is one row of the limits table, for the docs.
type Limit struct {
	What  string
	Value int
}

// LimitsTable lists the limits, as docs/limits.md shows them.
func LimitsTable() []Limit {
	return []Limit{
		{"file size (bytes)", MaxSize},
		{"lines", MaxLines},
		{"entries of flow collections", MaxFlowEntries},
		{"nesting of [...] and {...}", MaxDepth},
		{"keys of a mapping, items of a list", MaxEntries},
		{"build.commands", MaxCommands},
		{"secrets", MaxSecrets},
		{"length of one value or command (bytes)", MaxValue},
		{"build arguments × build commands (bytes)", MaxStepEnv},
	}
}

// shorten keeps a value from the file short enough to quote in a message.
func shorten(s string) string {
	const keep = 60
	if len(s) <= keep {
		return s
	}
	return fmt.Sprintf("%s... (%d bytes)", s[:keep], len(s))
}
