package smoketest

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os/exec"
	"strings"
	"syscall"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/internal/runtimeapi"
)

// Failure is a test whose function did not answer as expected.
type Failure struct {
	Name string
	// Reason says what was expected and what happened.
	Reason string
}

func (f *Failure) Error() string { return fmt.Sprintf("test %s failed: %s", f.Name, f.Reason) }

// What Lambda reports for an invocation that ran out of time, and for a
// runtime that exited without answering.
const (
	TimeoutError = "Sandbox.Timedout"
	ExitError    = "Runtime.ExitError"
)

// Run starts the function, invokes it once with the spec's event and checks
// its answer. The function's output goes to logs as it is printed. It
// returns a *Failure when the answer is not the expected one, another error
// when the test could not run.
func Run(ctx context.Context, s Spec, logs io.Writer) error {
	api, err := runtimeapi.Start(s.Event, time.Duration(s.Timeout))
	if err != nil {
		return err
	}
	defer api.Close()

	cmd := exec.Command(s.Command[0], s.Command[1:]...)
	cmd.Env = append(append([]string{}, s.Env...), api.Env()...)
	cmd.Dir = s.Dir
	cmd.Stdout, cmd.Stderr = logs, logs
	// Its own process group, so that a timeout stops the runtime's children.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("starting %s: %w", strings.Join(s.Command, " "), err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	defer func() {
		syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) //nolint:errcheck // it may have exited already
		<-exited
	}()

	var o runtimeapi.Outcome
	select {
	case o = <-api.Outcome():
	case err := <-exited:
		exited <- err
		o = failed(ExitError, fmt.Sprintf("the runtime exited before answering (%v)", err))
	case <-time.After(time.Duration(s.Timeout)):
		o = failed(TimeoutError, fmt.Sprintf("Task timed out after %s", time.Duration(s.Timeout)))
	case <-ctx.Done():
		return ctx.Err()
	}
	return check(s, o)
}

// failed is an outcome the Runtime API did not receive but Lambda reports.
func failed(errorType, msg string) runtimeapi.Outcome {
	body, _ := json.Marshal(runtimeapi.Error{Type: errorType, Message: msg})
	return runtimeapi.Outcome{Error: body, ErrorType: errorType}
}

// check compares an outcome with what the spec expects.
func check(s Spec, o runtimeapi.Outcome) error {
	fail := func(format string, args ...any) error {
		return &Failure{Name: s.Name, Reason: fmt.Sprintf(format, args...)}
	}
	if o.Error != nil {
		e := runtimeapi.ErrorBody(o.Error)
		if s.ExpectError != "" && o.ErrorType == s.ExpectError {
			return nil
		}
		what := "the function failed"
		if o.Init {
			what = "the runtime could not start the function"
		}
		msg := fmt.Sprintf("%s: %s: %s", what, o.ErrorType, e.Message)
		if len(e.StackTrace) > 0 {
			msg += "\n    " + strings.Join(e.StackTrace, "\n    ")
		}
		if s.ExpectError != "" {
			return fail("expected the error %s; %s", s.ExpectError, msg)
		}
		return fail("%s", msg)
	}
	if s.ExpectError != "" {
		return fail("expected the error %s, but the function answered %s", s.ExpectError, bytes.TrimSpace(o.Response))
	}
	if s.Expect == nil {
		return nil
	}
	var want, got any
	if err := json.Unmarshal(s.Expect, &want); err != nil {
		return fmt.Errorf("reading the expected response: %w", err)
	}
	if err := json.Unmarshal(o.Response, &got); err != nil {
		return fail("the function answered %q, which is not JSON", bytes.TrimSpace(o.Response))
	}
	if m, ok := Contains(want, got); !ok {
		return fail("%s; the function answered %s", m, bytes.TrimSpace(o.Response))
	}
	return nil
}
