package frontend

import (
	"errors"
	"strings"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/internal/golden"
	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/errdefs"
)

var _ = golden.Update // every test binary takes -update

func TestPanicBecomesBuildError(t *testing.T) {
	err := func() (err error) {
		defer recoverPanic(&err)
		var m map[string]int
		m["x"]++ // a nil map write: a real runtime panic
		return nil
	}()
	if err == nil || !strings.Contains(err.Error(), "failed unexpectedly") || strings.Contains(err.Error(), "goroutine") {
		t.Fatalf("got %v, want a short build error", err)
	}
}

// TestSpecErrorsCarryTheirLines checks that every located error of a file
// reaches buildx as a source range on its own line, in file order.
func TestSpecErrorsCarryTheirLines(t *testing.T) {
	data := []byte("runtime: nodejs2\nhandler: app.handler\nbuild:\n  comands: []\n")
	_, err := lambdafile.Load("lambda.yaml", data)
	err = withSource(err, nil, llb.NewSourceMap(nil, "lambda.yaml", "YAML", data))
	srcs := errdefs.Sources(err)
	if len(srcs) != 2 {
		t.Fatalf("%d sources, want 2: %v", len(srcs), err)
	}
	for i, line := range []int32{1, 4} {
		if got := srcs[i].Ranges[0].Start.Line; got != line || srcs[i].Info.Filename != "lambda.yaml" {
			t.Errorf("source %d at %s:%d, want lambda.yaml:%d", i, srcs[i].Info.Filename, got, line)
		}
	}
}

func TestContextErrorPointsAtTheSpec(t *testing.T) {
	data := []byte("# syntax=x\nruntime: nodejs22\nhandler: app.handler\n")
	s, err := lambdafile.Load("lambda.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	err = withSource(&llbgen.ContextError{Path: "runtime", Msg: "no lockfile"}, s, llb.NewSourceMap(nil, "lambda.yaml", "YAML", data))
	var se *lambdafile.Error
	if !errors.As(err, &se) || se.Error() != "lambda.yaml:2:10: runtime: no lockfile" {
		t.Fatalf("got %v", err)
	}
	if srcs := errdefs.Sources(err); len(srcs) != 1 || srcs[0].Ranges[0].Start.Line != 2 {
		t.Fatalf("sources %v, want line 2", srcs)
	}
}

func TestUnknownTarget(t *testing.T) {
	if _, err := selectTarget("img"); err == nil || !strings.Contains(err.Error(), "image, image-untested, zip, layer, build, deps") || !strings.Contains(err.Error(), `did you mean "image"?`) {
		t.Fatalf("got %v", err)
	}
	for _, name := range []string{"", "image", "image-untested", "zip", "layer", "build", "deps"} {
		if _, err := selectTarget(name); err != nil {
			t.Errorf("%q: %v", name, err)
		}
	}
}
