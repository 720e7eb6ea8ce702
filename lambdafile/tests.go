package lambdafile

import (
	"fmt"
	"strconv"
	"time"
)

// Bounds of a test's timeout: the default leaves a slow builder room for a
// cold start, and Lambda stops any invocation after 15 minutes.
const (
	defaultTestTimeout = 30 * time.Second
	maxTestTimeout     = 900 * time.Second
)

// tests checks lambda.yaml's test list.
func (v *validator) tests() {
	names := map[string]int{}
	for i, t := range v.s.Test {
		at := fmt.Sprintf("test[%d]", i)
		if t.Name != "" {
			if first, dup := names[t.Name]; dup {
				v.errorf(at+".name", "test[%d] is already named %q; give each test its own name", first, t.Name)
			}
			names[t.Name] = i
		}
		if t.Event != "" && t.EventFile != "" {
			v.errorf(at+".eventFile", "event and eventFile both give the event; keep one")
		}
		v.relativePath(at+".eventFile", t.EventFile, "events/order.json")
		if t.Expect != "" && t.ExpectError != "" {
			v.errorf(at+".expectError", "expect and expectError both say how the invocation ends; keep one")
		}
		if _, err := testTimeout(t.Timeout); err != nil {
			v.errorf(at+".timeout", "%v", err)
		}
	}
}

// testTimeout reads a test's timeout: a duration like 10s, or seconds.
func testTimeout(s string) (time.Duration, error) {
	if s == "" {
		return defaultTestTimeout, nil
	}
	d, err := time.ParseDuration(s)
	if secs, nerr := strconv.ParseFloat(s, 64); nerr == nil {
		d, err = time.Duration(secs*float64(time.Second)), nil
	}
	switch {
	case err != nil:
		return 0, fmt.Errorf("%q is not a duration; write one like 10s or 2m, or a number of seconds", s)
	case d <= 0:
		return 0, fmt.Errorf("%q is not a positive duration; write one like 10s", s)
	case d > maxTestTimeout:
		return 0, fmt.Errorf("%s is more than Lambda's limit of %s", d, maxTestTimeout)
	}
	return d, nil
}

// Deadline is the test's timeout, once the file is loaded.
func (t Test) Deadline() time.Duration {
	d, err := testTimeout(t.Timeout)
	if err != nil {
		return defaultTestTimeout
	}
	return d
}
