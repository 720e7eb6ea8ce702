package main

import (
	"fmt"
	"io"

	"github.com/buildkit-lambda/buildkit-lambda/smoketest"
	"github.com/moby/buildkit/util/appcontext"
)

// runSmokeTest invokes the image the step runs in, as the build step the
// frontend adds for each of lambda.yaml's tests does: `frontend smoke-test
// FILE`, with the test the frontend wrote to FILE. The function's logs and
// the verdict go to w, which BuildKit shows in the step's output.
func runSmokeTest(w io.Writer, args []string) error {
	if len(args) != 1 {
		return fmt.Errorf("usage: frontend smoke-test FILE")
	}
	spec, err := smoketest.ReadSpec(args[0])
	if err != nil {
		return err
	}
	// The frontend writes the event compact, on one line of the log.
	fmt.Fprintf(w, "test %s: invoking %v with %s\n", spec.Name, spec.Command, spec.Event)
	if err := smoketest.Run(appcontext.Context(), spec, w); err != nil {
		return err
	}
	fmt.Fprintf(w, "test %s passed\n", spec.Name)
	return nil
}
