package smoketest

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"
)

// clientMode, set in the environment, makes the test binary a Lambda
// runtime client that behaves as the mode says, so that Run starts a real
// process that talks to the Runtime API over loopback.
const clientMode = "SMOKETEST_CLIENT_MODE"

func TestMain(m *testing.M) {
	if mode := os.Getenv(clientMode); mode != "" {
		os.Exit(runtimeClient(mode))
	}
	os.Exit(m.Run())
}

// runtimeClient answers one invocation: it echoes the event, fails, hangs
// or exits, or fails its initialisation.
func runtimeClient(mode string) int {
	base := "http://" + os.Getenv("AWS_LAMBDA_RUNTIME_API") + "/2018-06-01/runtime"
	post := func(path, body string) {
		resp, err := http.Post(base+path, "application/json", strings.NewReader(body))
		if err == nil {
			resp.Body.Close()
		}
	}
	if mode == "init-error" {
		post("/init/error", `{"errorType":"Runtime.ImportModuleError","errorMessage":"Cannot find module 'app'"}`)
		return 1
	}
	resp, err := http.Get(base + "/invocation/next")
	if err != nil {
		return 2
	}
	event, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	id := resp.Header.Get("Lambda-Runtime-Aws-Request-Id")
	fmt.Println("got", string(event))
	switch mode {
	case "echo":
		post("/invocation/"+id+"/response", fmt.Sprintf(`{"statusCode":200,"event":%s}`, event))
	case "throw":
		post("/invocation/"+id+"/error", `{"errorType":"TypeError","errorMessage":"boom","stackTrace":["at handler (app.js:3)"]}`)
	case "hang":
		time.Sleep(time.Minute)
	case "exit":
		return 3
	}
	time.Sleep(time.Minute) // a runtime polls for the next event; Run stops it
	return 0
}

func TestRun(t *testing.T) {
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name, mode, expect, expectError string
		timeout                         time.Duration
		// reason is the failure's, empty for a pass.
		reason string
	}{
		{name: "passes", mode: "echo", expect: `{"statusCode":200,"event":{"name":"Ada"}}`},
		{name: "no expectation", mode: "echo"},
		{name: "wrong answer", mode: "echo", expect: `{"statusCode":201}`,
			reason: `.statusCode is 200, not 201; the function answered {"statusCode":200,"event":{"name":"Ada"}}`},
		{name: "throws", mode: "throw", reason: "the function failed: TypeError: boom\n    at handler (app.js:3)"},
		{name: "expected throw", mode: "throw", expectError: "TypeError"},
		{name: "other throw", mode: "throw", expectError: "RangeError", reason: "expected the error RangeError; the function failed: TypeError: boom"},
		{name: "answers instead of failing", mode: "echo", expectError: "TypeError",
			reason: `expected the error TypeError, but the function answered {"statusCode":200,"event":{"name":"Ada"}}`},
		{name: "times out", mode: "hang", timeout: time.Second, reason: "the function failed: Sandbox.Timedout: Task timed out after 1s"},
		{name: "expected timeout", mode: "hang", timeout: time.Second, expectError: TimeoutError},
		{name: "exits", mode: "exit", reason: "the function failed: Runtime.ExitError: the runtime exited before answering (exit status 3)"},
		{name: "init error", mode: "init-error", reason: "the runtime could not start the function: Runtime.ImportModuleError: Cannot find module 'app'"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := Spec{
				Name:        tc.name,
				Command:     []string{self, "-test.run=^$"},
				Env:         []string{clientMode + "=" + tc.mode},
				Event:       json.RawMessage(`{"name":"Ada"}`),
				ExpectError: tc.expectError,
				Timeout:     Duration(cmp.Or(tc.timeout, 30*time.Second)),
			}
			if tc.expect != "" {
				s.Expect = json.RawMessage(tc.expect)
			}
			var logs bytes.Buffer
			err := Run(context.Background(), s, &logs)
			if tc.mode != "init-error" && !strings.Contains(logs.String(), `got {"name":"Ada"}`) {
				t.Errorf("the function's output is not in the logs: %q", logs.String())
			}
			if tc.reason == "" {
				if err != nil {
					t.Fatalf("failed: %v", err)
				}
				return
			}
			f, ok := err.(*Failure)
			if !ok {
				t.Fatalf("got %v, want a failure", err)
			}
			if !strings.HasPrefix(f.Reason, tc.reason) {
				t.Errorf("reason\n%s\nwant it to start with\n%s", f.Reason, tc.reason)
			}
		})
	}
}
