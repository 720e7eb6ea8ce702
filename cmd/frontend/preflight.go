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

// functionFlags are the flags that say which function an image is for.
type functionFlags struct {
	runtime, handler, arch *string
}

func addFunctionFlags(fset *flag.FlagSet) functionFlags {
	return functionFlags{
		runtime: fset.String("runtime", "", "the lambda.yaml runtime"),
		handler: fset.String("handler", "", "the handler"),
		arch:    fset.String("arch", "", "the image's architecture: amd64 or arm64"),
	}
}

func (f functionFlags) input() preflight.Input {
	return preflight.Input{Runtime: lambdafile.Runtime(*f.runtime), Handler: *f.handler, GOARCH: *f.arch}
}

// runPreflight checks an image's file system, as the build step the
// frontend adds does: `frontend preflight --runtime R --handler H --arch A
// [--library-path P] [--base-size FILE] [--base-modules FILE]
// [--base-libraries FILE] [--stand-in DIR]... LAYER...`, with the directories
// of the layers, lowest first, or one directory holding the whole image.
// The --base files hold what preflight-base found out about the base
// image outside the layers; each DIR, one of the layers, holds a stand-in
// of a layer, that preflight-base wrote of the base image or
// preflight-deps of the dependency layer.
func runPreflight(w io.Writer, args []string) error {
	fset := flag.NewFlagSet("preflight", flag.ContinueOnError)
	fn := addFunctionFlags(fset)
	libraryPath := addLibraryPathFlag(fset)
	baseSize := fset.String("base-size", "", "a file holding the size in bytes of the base image's files outside the layers given, written by preflight-base")
	baseModules := fset.String("base-modules", "", "a file listing the base image's library modules outside the layers given, written by preflight-base")
	baseLibraries := fset.String("base-libraries", "", "a file listing the shared libraries the dynamic loader finds in the base image outside the layers given, written by preflight-base")
	var standIns []string
	fset.Func("stand-in", "one of the layers that holds a stand-in of a layer, written by preflight-base or preflight-deps (repeatable)", func(dir string) error {
		standIns = append(standIns, dir)
		return nil
	})
	if err := fset.Parse(args); err != nil {
		return err
	}
	if fset.NArg() == 0 || *fn.runtime == "" || *fn.arch == "" {
		return fmt.Errorf("usage: frontend preflight --runtime R --handler H --arch A [--library-path P] [--base-size FILE] [--base-modules FILE] [--base-libraries FILE] [--stand-in DIR]... LAYER...")
	}
	in := fn.input()
	in.StandIns, in.LibraryPath = standIns, *libraryPath
	var err error
	if *baseSize != "" {
		if in.BaseBytes, err = preflight.ReadBaseSize(*baseSize); err != nil {
			return err
		}
	}
	for _, list := range []struct {
		file  string
		names *[]string
	}{{*baseModules, &in.BaseModules}, {*baseLibraries, &in.BaseLibraries}} {
		if list.file == "" {
			continue
		}
		if *list.names, err = preflight.ReadBaseNames(list.file); err != nil {
			return err
		}
	}
	report, err := preflight.Run(fset.Args(), in)
	if err != nil {
		return err
	}
	return printReport(w, report, "handler, bootstrap, native code, permissions, size and imports are fine")
}

// addLibraryPathFlag is the image's LD_LIBRARY_PATH, where the dynamic
// loader looks first.
func addLibraryPathFlag(fset *flag.FlagSet) *string {
	return fset.String("library-path", "", "the image's LD_LIBRARY_PATH")
}

// runPreflightDeps checks a dependency layer and keeps a stand-in of it
// for the checks of the code, as the build step the frontend adds does:
// `frontend preflight-deps --runtime R --handler H --arch A LAYER OUT` (see
// preflight.PrepareDeps).
func runPreflightDeps(w io.Writer, args []string) error {
	fset := flag.NewFlagSet("preflight-deps", flag.ContinueOnError)
	fn := addFunctionFlags(fset)
	if err := fset.Parse(args); err != nil {
		return err
	}
	if fset.NArg() != 2 || *fn.runtime == "" || *fn.arch == "" {
		return fmt.Errorf("usage: frontend preflight-deps --runtime R --handler H --arch A LAYER OUT")
	}
	report, err := preflight.PrepareDeps(fset.Arg(0), fset.Arg(1), fn.input())
	if err != nil {
		return err
	}
	return printReport(w, report, "the dependencies' native code, permissions and size are fine")
}

// printReport prints what the checks found, and fails when a problem is
// among it; otherwise it says which checks passed.
func printReport(w io.Writer, report preflight.Report, passed string) error {
	for _, n := range report.Notes {
		fmt.Fprintf(w, "preflight: %s\n", n)
	}
	for _, p := range report.Problems {
		fmt.Fprintf(w, "preflight %s\n", p)
	}
	if len(report.Problems) > 0 {
		return errPreflight
	}
	fmt.Fprintf(w, "preflight: %s\n", passed)
	return nil
}

// runPreflightBase prepares a base image for the checks of the images
// built on it, as the build step the frontend adds does: `frontend
// preflight-base [--library-path P] ROOT OUT` (see preflight.PrepareBase).
func runPreflightBase(args []string) error {
	fset := flag.NewFlagSet("preflight-base", flag.ContinueOnError)
	libraryPath := addLibraryPathFlag(fset)
	if err := fset.Parse(args); err != nil {
		return err
	}
	if fset.NArg() != 2 {
		return fmt.Errorf("usage: frontend preflight-base [--library-path P] ROOT OUT")
	}
	return preflight.PrepareBase(fset.Arg(0), fset.Arg(1), *libraryPath)
}
