package lambdafile_test

import (
	"errors"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
)

// seeds are the error table and the examples.
func seeds(f *testing.F, patterns ...string) {
	for _, p := range patterns {
		files, err := filepath.Glob(p)
		if err != nil {
			f.Fatal(err)
		}
		for _, file := range files {
			dt, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(dt)
		}
	}
}

// FuzzLoad checks that any input, over raw bytes, loads or fails with
// located errors, and never panics. It is seeded with the hostile inputs
// of TestLimits too, nested and huge ones among them; hack/test.sh runs it
// under a memory limit, so that input the limits miss fails the run.
func FuzzLoad(f *testing.F) {
	seeds(f, "testdata/invalid/*.yaml", "testdata/valid/*.yaml", "../examples/*/lambda.yaml")
	for _, name := range slices.Sorted(maps.Keys(hostile())) {
		f.Add([]byte(hostile()[name]))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := lambdafile.Load("lambda.yaml", data)
		if err == nil {
			if s.Runtime.Family() == nil || s.Architecture == "" {
				t.Fatalf("loaded an invalid spec: %+v", s)
			}
			return
		}
		var errs lambdafile.Errors
		if !errors.As(err, &errs) || len(errs) == 0 {
			t.Fatalf("error %v is not a non-empty lambdafile.Errors", err)
		}
		for _, e := range errs {
			if e.Msg == "" || e.File != "lambda.yaml" {
				t.Fatalf("error without a message or file: %+v", e)
			}
		}
	})
}
