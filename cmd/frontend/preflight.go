package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/buildkit-lambda/buildkit-lambda/preflight"
	"github.com/buildkit-lambda/buildkit-lambda/spec"
)

// errPreflight is returned when the image fails a check; the problems are
// already printed.
var errPreflight = errors.New("the image would fail on Lambda; see the problems above")

// runPreflight checks an image's root file system, as the build step the
// frontend adds does: `frontend preflight --runtime R --handler H --arch A ROOT`.
func runPreflight(w io.Writer, args []string) error {
	fset := flag.NewFlagSet("preflight", flag.ContinueOnError)
	runtime := fset.String("runtime", "", "the lambda.yaml runtime")
	handler := fset.String("handler", "", "the handler")
	arch := fset.String("arch", "", "the image's architecture: amd64 or arm64")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if fset.NArg() != 1 || *runtime == "" || *arch == "" {
		return fmt.Errorf("usage: frontend preflight --runtime R --handler H --arch A ROOT")
	}
	problems, err := preflight.Run(fset.Arg(0), preflight.Input{Runtime: spec.Runtime(*runtime), Handler: *handler, GOARCH: *arch})
	if err != nil {
		return err
	}
	for _, p := range problems {
		fmt.Fprintf(w, "preflight %s\n", p)
	}
	if len(problems) > 0 {
		return errPreflight
	}
	fmt.Fprintln(w, "preflight: handler, bootstrap, native code, permissions and size are fine")
	return nil
}
