package smoketest

import (
	"encoding/json"
	"fmt"
	"os"
	"time"
)

// Spec is one test, as the build step reads it from a JSON file the
// frontend writes.
type Spec struct {
	// Name says which test of lambda.yaml this is.
	Name string `json:"name"`
	// Command is the image's entrypoint and CMD; Env, its environment; Dir,
	// its working directory.
	Command []string `json:"command"`
	Env     []string `json:"env"`
	Dir     string   `json:"dir,omitempty"`
	// Event is the JSON the function is invoked with.
	Event json.RawMessage `json:"event"`
	// Expect, when set, is JSON the response must contain (see Contains).
	Expect json.RawMessage `json:"expect,omitempty"`
	// ExpectError, when set, is the errorType the invocation must fail with.
	ExpectError string `json:"expectError,omitempty"`
	// Timeout bounds the start of the runtime and the invocation together.
	Timeout Duration `json:"timeout"`
}

// Duration is a time.Duration written in JSON as Go writes durations.
type Duration time.Duration

func (d Duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

func (d *Duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	v, err := time.ParseDuration(s)
	*d = Duration(v)
	return err
}

// ReadSpec reads a test written by the frontend.
func ReadSpec(path string) (Spec, error) {
	var s Spec
	dt, err := os.ReadFile(path)
	if err != nil {
		return s, err
	}
	if err := json.Unmarshal(dt, &s); err != nil {
		return s, fmt.Errorf("reading %s: %w", path, err)
	}
	if len(s.Command) == 0 {
		return s, fmt.Errorf("reading %s: the image has no entrypoint or CMD to start", path)
	}
	if s.Timeout <= 0 {
		return s, fmt.Errorf("reading %s: no timeout", path)
	}
	return s, nil
}
