package lambdafile

import (
	"encoding/json"
	"fmt"
	"math"

	"github.com/goccy/go-yaml/ast"
)

// decodeJSON keeps a value of any shape, such as a test's event, as JSON.
func (d *decoder) decodeJSON(node ast.Node, path string) (JSON, bool) {
	v, ok := d.plain(node, path, 0)
	if !ok {
		return "", false
	}
	dt, err := json.Marshal(v)
	if err != nil {
		d.errorf(nodePos(node), path, "cannot be written as JSON: %v", err)
		return "", false
	}
	if len(dt) > MaxValue {
		d.errorf(nodePos(node), path, "is %d bytes long as JSON, more than the %d a value may have; put it in a file", len(dt), MaxValue)
		return "", false
	}
	return JSON(dt), true
}

// plain turns a YAML node into the Go value encoding/json writes: maps with
// string keys, slices, strings, numbers, booleans and nil.
func (d *decoder) plain(node ast.Node, path string, depth int) (any, bool) {
	if !d.supported(node, path) {
		return nil, false
	}
	if depth > maxJSONDepth {
		d.errorf(nodePos(node), path, "nests deeper than %d levels", maxJSONDepth)
		return nil, false
	}
	switch n := node.(type) {
	case *ast.NullNode:
		return nil, true
	case *ast.BoolNode:
		return n.Value, true
	case *ast.IntegerNode:
		return n.Value, true
	case *ast.FloatNode:
		if math.IsInf(n.Value, 0) || math.IsNaN(n.Value) {
			break
		}
		return n.Value, true
	case *ast.StringNode:
		return n.Value, true
	case *ast.LiteralNode:
		return n.Value.Value, true
	case *ast.SequenceNode:
		items := make([]any, len(n.Values))
		for i, item := range n.Values {
			v, ok := d.plain(item, fmt.Sprintf("%s[%d]", path, i), depth+1)
			if !ok {
				return nil, false
			}
			items[i] = v
		}
		return items, true
	case *ast.MappingNode, *ast.MappingValueNode:
		entries, _ := mappingEntries(node)
		m := make(map[string]any, len(entries))
		for _, e := range entries {
			k, ok := d.key(e, path)
			if !ok {
				return nil, false
			}
			v, ok := d.plain(e.Value, joinPath(path, k), depth+1)
			if !ok {
				return nil, false
			}
			m[k] = v
		}
		return m, true
	}
	d.errorf(nodePos(node), path, "holds %s, which JSON cannot; write a string, number, boolean, null, list or mapping", describe(node))
	return nil, false
}

// maxJSONDepth bounds the nesting of a JSON value, as the parser bounds
// the rest of the file.
const maxJSONDepth = 64
