package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/lambdazip"
)

// runZip writes a .zip deployment package or layer, as the build step the
// frontend adds for --target zip and --target layer does: `frontend zip
// --out FILE [--epoch SECONDS] SOURCE=NAME...`, each SOURCE a file or
// directory that goes into the archive at NAME ("." for its root).
func runZip(w io.Writer, args []string) error {
	fset := flag.NewFlagSet("zip", flag.ContinueOnError)
	out := fset.String("out", "", "the archive to write")
	epoch := fset.Int64("epoch", lambdazip.DefaultEpoch.Unix(), "the time of every entry, in seconds since 1970 (SOURCE_DATE_EPOCH)")
	if err := fset.Parse(args); err != nil {
		return err
	}
	if *out == "" || fset.NArg() == 0 {
		return errors.New("usage: frontend zip --out FILE [--epoch SECONDS] SOURCE=NAME...")
	}
	var sources []lambdazip.Source
	for _, arg := range fset.Args() {
		src, name, ok := strings.Cut(arg, "=")
		if !ok {
			return fmt.Errorf("%q is not SOURCE=NAME", arg)
		}
		sources = append(sources, lambdazip.Source{Path: src, Name: name})
	}
	f, err := os.Create(*out)
	if err != nil {
		return err
	}
	stats, err := lambdazip.Write(f, sources, time.Unix(*epoch, 0))
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return err
	}
	name := filepath.Base(*out)
	fmt.Fprintf(w, "%s: %d files, %s zipped, %s unzipped\n", name, stats.Files, mib(stats.Zipped), mib(stats.Unzipped))
	if stats.Zipped > lambdazip.MaxDirectUpload {
		fmt.Fprintf(w, "warning: %s is over the %s the Lambda API takes in a direct upload; upload it to S3 and deploy it from there\n", name, mib(lambdazip.MaxDirectUpload))
	}
	if stats.Unzipped > lambdazip.MaxUnzipped {
		return fmt.Errorf("%s holds %s of files unzipped, over the %s Lambda allows a function and its layers", name, mib(stats.Unzipped), mib(lambdazip.MaxUnzipped))
	}
	return nil
}

func mib(n int64) string { return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20)) }
