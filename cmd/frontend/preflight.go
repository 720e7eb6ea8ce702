package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/preflight"
)

// errPreflight is returned when the image fails a check; the problems are
// already printed.
var errPreflight = errors.New("the image would fail on Lambda; see the problems above")

// runPreflight checks an image's file system, as the build step the
// frontend adds does: `frontend preflight --runtime R --handler H --arch A
// [--base-size FILE] LAYER...`, with the directories of the layers, lowest
// first, or one directory holding the whole image. FILE holds the size of
// the base image's files outside the layers, as preflight-base writes it.
func runPreflight(w io.Writer, args []string) error {
	fset := flag.NewFlagSet("preflight", flag.ContinueOnError)
	runtime := fset.String("runtime", "", "the lambda.yaml runtime")
	handler := fset.String("handler", "", "the handler")
	arch := fset.String("arch", "", "the image's architecture: amd64 or arm64")
	baseSize := fset.String("base-size", "", "a file holding the size in bytes of the base image's files outside the layers given, written by preflight-base")
	baseModules := fset.String("base-modules", "", "a file listing the base image's library modules outside the layers given, written by preflight-base")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if fset.NArg() == 0 || *runtime == "" || *arch == "" {
		return fmt.Errorf("usage: frontend preflight --runtime R --handler H --arch A [--base-size FILE] LAYER...")
	}
	in := preflight.Input{Runtime: lambdafile.Runtime(*runtime), Handler: *handler, GOARCH: *arch}
	if *baseSize != "" {
		var err error
		if in.BaseBytes, err = preflight.ReadBaseSize(*baseSize); err != nil {
			return err
		}
	}
	if *baseModules != "" {
		var err error
		if in.BaseModules, err = preflight.ReadBaseModules(*baseModules); err != nil {
			return err
		}
	}
	report, err := preflight.Run(fset.Args(), in)
	if err != nil {
		return err
	}
	for _, n := range report.Notes {
		fmt.Fprintf(w, "preflight: %s\n", n)
	}
	for _, p := range report.Problems {
		fmt.Fprintf(w, "preflight %s\n", p)
	}
	if len(report.Problems) > 0 {
		return errPreflight
	}
	fmt.Fprintln(w, "preflight: handler, bootstrap, native code, permissions, size and imports are fine")
	return nil
}

// runPreflightBase prepares a base image for the checks of the images
// built on it, as the build step the frontend adds does: `frontend
// preflight-base ROOT OUT` (see preflight.PrepareBase).
func runPreflightBase(args []string) error {
	if len(args) != 2 {
		return fmt.Errorf("usage: frontend preflight-base ROOT OUT")
	}
	return preflight.PrepareBase(args[0], args[1])
}
