package smoketest

import (
	"encoding/json"
	"testing"
)

func TestContains(t *testing.T) {
	for _, tc := range []struct {
		want, got string
		mismatch  string
	}{
		{`{}`, `{"a":1}`, ""},
		{`{"a":1}`, `{"a":1.0,"b":2}`, ""},
		{`{"body":{"items":[{"id":1},{"id":2}]}}`, `{"body":{"items":[{"id":1,"x":0},{"id":2}]}}`, ""},
		{`{"a":1}`, `{"b":1}`, `the response has no key "a"`},
		{`{"a":{"b":"x"}}`, `{"a":{"b":"y"}}`, `.a.b is "y", not "x"`},
		{`{"a":[1,2]}`, `{"a":[1]}`, `.a has 1 items, not 2`},
		{`{"a":[1,2]}`, `{"a":[1,3]}`, `.a[1] is 3, not 2`},
		{`{"a":1}`, `[1]`, `the response is [1], not an object`},
		{`[1]`, `{"a":1}`, `the response is {"a":1}, not a list`},
		{`"ok"`, `"ok"`, ""},
		{`null`, `{}`, `the response is {}, not null`},
		{`{"n":"1"}`, `{"n":1}`, `.n is 1, not "1"`},
	} {
		var want, got any
		if err := json.Unmarshal([]byte(tc.want), &want); err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal([]byte(tc.got), &got); err != nil {
			t.Fatal(err)
		}
		m, ok := Contains(want, got)
		if ok != (tc.mismatch == "") || m != tc.mismatch {
			t.Errorf("Contains(%s, %s) = %q, %v; want %q", tc.want, tc.got, m, ok, tc.mismatch)
		}
	}
}
