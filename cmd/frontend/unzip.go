package main

import (
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/buildkit-lambda/buildkit-lambda/lambdazip"
)

// runUnzip unpacks a .zip, as the build step that adds an extension from
// a .zip in the context does: `frontend unzip --into DIR FILE`.
func runUnzip(w io.Writer, args []string) error {
	fset := flag.NewFlagSet("unzip", flag.ContinueOnError)
	into := fset.String("into", "", "the directory to unpack into")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if *into == "" || fset.NArg() != 1 {
		return errors.New("usage: frontend unzip --into DIR FILE")
	}
	stats, err := lambdazip.Extract(fset.Arg(0), *into)
	if err != nil {
		return err
	}
	fmt.Fprintf(w, "unpacked %d files, %s, into %s\n", stats.Files, mib(stats.Unzipped), *into)
	return nil
}
