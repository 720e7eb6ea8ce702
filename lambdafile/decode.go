package lambdafile

import (
	"fmt"
	"reflect"
	"slices"
	"strings"
	"unicode"

	"github.com/goccy/go-yaml/ast"
)

// decoder fills a Go value from a YAML syntax tree, recording the place of
// every value by its path and collecting every mistake instead of stopping
// at the first.
type decoder struct {
	file      string
	errs      Errors
	positions map[string]Pos
	// broken holds the paths whose value could not be decoded, and the keys
	// an unknown key probably meant, so that validation does not report the
	// same mistake a second time.
	broken map[string]bool
}

func (d *decoder) errorf(pos Pos, path, format string, args ...any) {
	d.broken[path] = true
	d.errs = append(d.errs, &Error{File: d.file, Pos: pos, Path: path, Msg: fmt.Sprintf(format, args...)})
}

// decode fills v, which must be settable, from node.
func (d *decoder) decode(node ast.Node, v reflect.Value, path string) {
	pos := nodePos(node)
	d.positions[path] = pos
	if !d.supported(node, path) {
		return
	}
	if _, isNull := node.(*ast.NullNode); isNull {
		return // "key:" with nothing after it leaves the zero value
	}
	if v.Type() == reflect.TypeFor[JSON]() {
		if j, ok := d.decodeJSON(node, path); ok {
			v.Set(reflect.ValueOf(j))
		}
		return
	}
	if v.Type() == reflect.TypeFor[SSH]() {
		switch n := node.(type) {
		case *ast.BoolNode:
			// "ssh: true" forwards the default agent, "ssh: false" nothing.
			if n.Value {
				v.Set(reflect.ValueOf(SSH{"default"}))
			}
			return
		case *ast.SequenceNode:
			for i, item := range n.Values {
				if _, isBool := item.(*ast.BoolNode); isBool {
					d.errorf(nodePos(item), fmt.Sprintf("%s[%d]", path, i), "is a boolean; list --ssh ids, like [default], or write ssh: true to forward the default agent")
					return
				}
			}
		default:
			d.errorf(pos, path, "must be true, false or a list of --ssh ids, not %s", describe(node))
			return
		}
	}
	switch v.Kind() {
	case reflect.Struct:
		d.decodeStruct(node, v, path)
	case reflect.Map:
		d.decodeMap(node, v, path)
	case reflect.Slice:
		d.decodeSlice(node, v, path)
	case reflect.String:
		if s, ok := scalarText(node); ok {
			if len(s) > MaxValue {
				d.errorf(pos, path, "is %d bytes long, more than the %d a value may have", len(s), MaxValue)
				return
			}
			if r, found := controlChar(s); found {
				d.errorf(pos, path, "holds the control character %U, which no setting needs; remove it", r)
				return
			}
			v.SetString(s)
		} else {
			d.errorf(pos, path, "must be a string, not %s", describe(node))
		}
	case reflect.Bool:
		if b, ok := node.(*ast.BoolNode); ok {
			v.SetBool(b.Value)
		} else {
			d.errorf(pos, path, "must be true or false, not %s", describe(node))
		}
	default:
		// Only reachable if file.go gains a field of a kind decode does not
		// know; the unit tests decode every field.
		d.errorf(pos, path, "internal error: cannot decode into %s", v.Type())
	}
}

// supported rejects YAML features that have no use in a build file and that
// would make positions lie (aliases) or the file explode (alias bombs).
func (d *decoder) supported(node ast.Node, path string) bool {
	switch n := node.(type) {
	case *ast.AnchorNode:
		d.errorf(nodePos(node), path, "YAML anchors (&%s) are not supported in lambda.yaml; write the value out", n.Name.String())
	case *ast.AliasNode:
		d.errorf(nodePos(node), path, "YAML aliases (*%s) are not supported in lambda.yaml; write the value out", n.Value.String())
	case *ast.TagNode:
		d.errorf(nodePos(node), path, "YAML tags (%s) are not supported in lambda.yaml; remove the tag", n.Start.Value)
	case *ast.MergeKeyNode:
		d.errorf(nodePos(node), path, "YAML merge keys (<<) are not supported in lambda.yaml; write the keys out")
	default:
		return true
	}
	return false
}

func (d *decoder) decodeStruct(node ast.Node, v reflect.Value, path string) {
	fields := structFields(v.Type())
	entries, ok := mappingEntries(node)
	if !ok {
		if i := slices.IndexFunc(fields, func(f field) bool { return f.shorthand }); i >= 0 {
			f := fields[i]
			if _, scalar := scalarText(node); scalar {
				d.decode(node, v.Field(f.index), joinPath(path, f.name))
				return
			}
			d.errorf(nodePos(node), path, "must be a mapping of keys to values, or its %s alone, like %q; not %s", f.name, f.def, describe(node))
			return
		}
		d.errorf(nodePos(node), path, "must be a mapping of keys to values, not %s", describe(node))
		return
	}
	names := make([]string, len(fields))
	for i, f := range fields {
		names[i] = f.name
	}
	seen := map[string]bool{}
	for _, e := range entries {
		key, ok := d.key(e, path)
		if !ok {
			continue
		}
		i := slices.Index(names, key)
		if i < 0 {
			where := "lambda.yaml"
			if path != "" {
				where = path
			}
			hint, meant := suggest(key, names)
			d.errorf(nodePos(e.Key), joinPath(path, shorten(key)), "unknown key %q in %s%s", shorten(key), where, hint)
			if meant != "" {
				d.broken[joinPath(path, meant)] = true
			}
			continue
		}
		seen[key] = true
		d.decode(e.Value, v.Field(fields[i].index), joinPath(path, key))
	}
	for _, f := range fields {
		if f.def != "" && !seen[f.name] {
			v.Field(f.index).SetString(f.def)
		}
		// A key an unknown key probably meant is reported with it.
		if f.required && !seen[f.name] && !d.broken[joinPath(path, f.name)] {
			d.errorf(nodePos(node), joinPath(path, f.name), "required; add a line \"%s: ...\"", f.name)
		}
	}
}

func (d *decoder) decodeMap(node ast.Node, v reflect.Value, path string) {
	entries, ok := mappingEntries(node)
	if !ok {
		d.errorf(nodePos(node), path, "must be a mapping of names to values, not %s", describe(node))
		return
	}
	if len(entries) > MaxEntries {
		d.errorf(nodePos(node), path, "has %d keys, more than the %d a mapping may have", len(entries), MaxEntries)
		return
	}
	m := reflect.MakeMapWithSize(v.Type(), len(entries))
	for _, e := range entries {
		key, ok := d.key(e, path)
		if !ok {
			continue
		}
		elem := reflect.New(v.Type().Elem()).Elem()
		d.decode(e.Value, elem, joinPath(path, key))
		m.SetMapIndex(reflect.ValueOf(key), elem)
	}
	v.Set(m)
}

func (d *decoder) decodeSlice(node ast.Node, v reflect.Value, path string) {
	seq, ok := node.(*ast.SequenceNode)
	if !ok {
		hint := ""
		if _, isText := scalarText(node); isText {
			hint = "; write each item on its own line starting with \"- \""
		}
		d.errorf(nodePos(node), path, "must be a list, not %s%s", describe(node), hint)
		return
	}
	if len(seq.Values) > MaxEntries {
		d.errorf(nodePos(node), path, "has %d items, more than the %d a list may have", len(seq.Values), MaxEntries)
		return
	}
	s := reflect.MakeSlice(v.Type(), len(seq.Values), len(seq.Values))
	for i, item := range seq.Values {
		d.decode(item, s.Index(i), fmt.Sprintf("%s[%d]", path, i))
	}
	v.Set(s)
}

// key returns the text of a mapping key; keys must be plain strings.
func (d *decoder) key(e *ast.MappingValueNode, path string) (string, bool) {
	if !d.supported(e.Key, path) {
		return "", false
	}
	k, ok := scalarText(e.Key)
	if !ok {
		d.errorf(nodePos(e.Key), path, "keys must be strings, not %s", describe(e.Key))
		return "", false
	}
	if r, found := controlChar(k); found {
		d.errorf(nodePos(e.Key), path, "a key holds the control character %U; remove it", r)
		return "", false
	}
	d.positions[joinPath(path, k)+"#key"] = nodePos(e.Key)
	return k, true
}

// mappingEntries returns the key/value pairs of a mapping. The parser
// represents a one-key block mapping as its lone MappingValueNode.
func mappingEntries(node ast.Node) ([]*ast.MappingValueNode, bool) {
	switch n := node.(type) {
	case *ast.MappingNode:
		return n.Values, true
	case *ast.MappingValueNode:
		return []*ast.MappingValueNode{n}, true
	}
	return nil, false
}

// scalarText returns the text of a scalar. Numbers keep their source text,
// so that a version written 1.20 stays "1.20" rather than becoming 1.2.
func scalarText(node ast.Node) (string, bool) {
	switch n := node.(type) {
	case *ast.StringNode:
		return n.Value, true
	case *ast.LiteralNode:
		return n.Value.Value, true
	case *ast.IntegerNode, *ast.FloatNode, *ast.BoolNode, *ast.InfinityNode, *ast.NanNode:
		return n.GetToken().Value, true
	}
	return "", false
}

// controlChar finds a control character other than tab and line breaks.
// Values end up in process arguments, the image's CMD and environment, and
// file names, where a NUL truncates and a CR or VT hides what follows.
func controlChar(s string) (rune, bool) {
	for _, r := range s {
		if unicode.IsControl(r) && r != '\t' && r != '\n' && r != '\r' {
			return r, true
		}
	}
	return 0, false
}

// describe names the kind of a node for error messages.
func describe(node ast.Node) string {
	switch n := node.(type) {
	case *ast.MappingNode, *ast.MappingValueNode:
		return "a mapping"
	case *ast.SequenceNode:
		return "a list"
	case *ast.BoolNode:
		return fmt.Sprintf("the boolean %s", n.GetToken().Value)
	case *ast.IntegerNode, *ast.FloatNode, *ast.InfinityNode, *ast.NanNode:
		return fmt.Sprintf("the number %s", n.GetToken().Value)
	case *ast.StringNode, *ast.LiteralNode:
		return "a string"
	case *ast.NullNode:
		return "null"
	}
	return "a " + strings.ToLower(node.Type().String())
}

// nodePos is where a node starts in the file.
func nodePos(node ast.Node) Pos {
	switch n := node.(type) {
	case *ast.MappingNode:
		if len(n.Values) > 0 && !n.IsFlowStyle {
			return nodePos(n.Values[0])
		}
	case *ast.MappingValueNode:
		return nodePos(n.Key)
	case *ast.SequenceNode:
		if n.Start != nil && n.Start.Position != nil {
			return Pos{Line: n.Start.Position.Line, Column: n.Start.Position.Column}
		}
	}
	tok := node.GetToken()
	if tok == nil || tok.Position == nil {
		return Pos{}
	}
	return Pos{Line: tok.Position.Line, Column: tok.Position.Column}
}

func joinPath(parent, key string) string {
	if parent == "" {
		return key
	}
	return parent + "." + key
}

type field struct {
	name     string
	index    int
	required bool
	// shorthand marks the field a scalar in place of the whole struct
	// sets, as "bundle: esbuild" sets bundle.tool.
	shorthand bool
	// def is the value a string field takes when its struct is written
	// as a mapping without it.
	def string
}

// structFields lists the yaml keys of a spec struct.
func structFields(t reflect.Type) []field {
	var fs []field
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("yaml"), ",")
		if name == "" || name == "-" {
			continue
		}
		fs = append(fs, field{name: name, index: i, required: f.Tag.Get("required") == "true",
			shorthand: f.Tag.Get("shorthand") == "true", def: f.Tag.Get("default")})
	}
	return fs
}
