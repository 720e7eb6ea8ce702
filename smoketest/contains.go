package smoketest

import (
	"encoding/json"
	"fmt"
	"slices"
)

// Contains says whether got holds want: every key of an object in want is
// in got's object with a value holding want's, lists hold their items in
// order and at the same length, and other values are equal. A mismatch is
// described with its place, like .body.items[2].
func Contains(want, got any) (mismatch string, ok bool) {
	return contains(want, got, "")
}

func contains(want, got any, at string) (string, bool) {
	where := at
	if where == "" {
		where = "the response"
	}
	switch w := want.(type) {
	case map[string]any:
		g, isObject := got.(map[string]any)
		if !isObject {
			return fmt.Sprintf("%s is %s, not an object", where, show(got)), false
		}
		keys := make([]string, 0, len(w))
		for k := range w {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			gv, present := g[k]
			if !present {
				return fmt.Sprintf("%s has no key %q", where, k), false
			}
			if m, ok := contains(w[k], gv, at+"."+k); !ok {
				return m, false
			}
		}
		return "", true
	case []any:
		g, isList := got.([]any)
		if !isList {
			return fmt.Sprintf("%s is %s, not a list", where, show(got)), false
		}
		if len(g) != len(w) {
			return fmt.Sprintf("%s has %d items, not %d", where, len(g), len(w)), false
		}
		for i := range w {
			if m, ok := contains(w[i], g[i], fmt.Sprintf("%s[%d]", at, i)); !ok {
				return m, false
			}
		}
		return "", true
	default:
		if show(want) != show(got) {
			return fmt.Sprintf("%s is %s, not %s", where, show(got), show(want)), false
		}
		return "", true
	}
}

// show writes a decoded JSON value back as JSON, for messages and for
// comparing scalars: numbers decode as float64, so 1 and 1.0 are equal.
func show(v any) string {
	dt, err := json.Marshal(v)
	if err != nil {
		return fmt.Sprint(v)
	}
	return string(dt)
}
