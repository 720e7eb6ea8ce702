package lambdafile

import "fmt"

// scanRaw enforces the limits that must hold before the YAML parser runs:
// lines, entries of flow collections and their nesting. It reads the bytes
// once, knowing just enough YAML to skip quoted strings and comments.
func scanRaw(file string, data []byte) error {
	line, col, lines := 1, 0, 1
	depth, entries := 0, 0
	var quote byte
	comment, lineStart := false, true
	for i := 0; i < len(data); i++ {
		c := data[i]
		col++
		if c == '\n' {
			// A quoted scalar may span lines; it ends at its quote.
			line, col, lineStart, comment = line+1, 0, true, false
			lines++
			if lines > MaxLines {
				return Errors{{File: file, Pos: Pos{Line: line, Column: 1}, Msg: fmt.Sprintf("the file has more than %d lines; a lambda.yaml needs a few dozen", MaxLines)}}
			}
			continue
		}
		switch {
		case comment:
		case quote == '"':
			if c == '\\' {
				i++
				col++
			} else if c == '"' {
				quote = 0
			}
		case quote == '\'':
			if c == '\'' {
				quote = 0 // '' inside reopens at once, which is the same
			}
		case c == '#' && (lineStart || i > 0 && (data[i-1] == ' ' || data[i-1] == '\t')):
			comment = true
		case (c == '"' || c == '\'') && (lineStart || i > 0 && opensScalar(data[i-1])):
			// A quote opens a quoted scalar only where a scalar starts;
			// the one in "it's" is a letter.
			quote = c
		case c == '[' || c == '{':
			if depth++; depth > MaxDepth {
				return Errors{{File: file, Pos: Pos{Line: line, Column: col}, Msg: fmt.Sprintf("collections nest more than %d levels deep here; lambda.yaml needs two", MaxDepth)}}
			}
		case c == ']' || c == '}':
			depth = max(depth-1, 0)
		case c == ',' && depth > 0:
			if entries++; entries > MaxFlowEntries {
				return Errors{{File: file, Pos: Pos{Line: line, Column: col}, Msg: fmt.Sprintf("the file has more than %d entries in [...] and {...}; write long lists one item per line", MaxFlowEntries)}}
			}
		}
		if c != ' ' && c != '\t' {
			lineStart = false
		}
	}
	return nil
}

// opensScalar says whether a scalar can start after byte b.
func opensScalar(b byte) bool {
	switch b {
	case ' ', '\t', '[', '{', ',', ':', '-', '?':
		return true
	}
	return false
}
