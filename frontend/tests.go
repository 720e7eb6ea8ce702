package frontend

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/solver/errdefs"
	"github.com/moby/buildkit/solver/pb"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// testRun is what running lambda.yaml's tests needs of the build.
type testRun struct {
	c       client.Client
	s       *lambdafile.File
	src     *dockerui.Source
	imports []client.CacheOptionsEntry
}

// runTests solves the tests of a tested target's image, after its preflight
// checks, all at once, and fails with every test that failed, each at its
// lines of lambda.yaml. BuildKit shows each failed step's output: the
// function's logs and what it answered. An image for an architecture the builder can neither run
// nor emulate is not tested, with a warning.
func runTests(ctx context.Context, r testRun, t target, res *llbgen.Result, marshal []llb.ConstraintsOpt) error {
	if !t.tested || len(res.Tests) == 0 {
		return nil
	}
	if !runs(r.c.BuildOpts().Workers, res.Platform) {
		r.src.Warn(ctx, fmt.Sprintf("the tests of %s did not run: the image is for %s/%s, which this builder neither runs nor emulates; "+
			"build for the builder's architecture, or register QEMU on the builder, to run them", r.s.Name(), res.Platform.OS, res.Platform.Architecture),
			client.WarnOpts{Range: []*pb.Range{rangeOf(r.s.Pos("test"))}})
		return nil
	}
	errs := make([]error, len(res.Tests))
	var wg sync.WaitGroup
	for i, test := range res.Tests {
		wg.Go(func() { errs[i] = evaluate(ctx, r.c, "test "+test.Name, test.State, marshal, r.imports) })
	}
	wg.Wait()

	// A test whose step ran and failed is a mistake at its lines of
	// lambda.yaml; the step's output above it says what the function
	// answered. Any other error is BuildKit's own.
	var failed lambdafile.Errors
	for i, err := range errs {
		var se *errdefs.SolveError
		switch {
		case err == nil:
		case errors.As(err, &se) && se.Op.GetExec() != nil:
			failed = append(failed, r.s.ErrorAt(res.Tests[i].Path, fmt.Sprintf(
				"test %s failed; the output of its step, [%s] test %s, shows the function's answer and logs", res.Tests[i].Name, r.s.Runtime, res.Tests[i].Name)))
		default:
			return fmt.Errorf("running test %s: %w", res.Tests[i].Name, err)
		}
	}
	if len(failed) > 0 {
		return withSource(failed, r.s, r.src.SourceMap)
	}
	return nil
}

// runs says whether one of the builder's workers runs p, natively or
// under an emulator it has registered.
func runs(workers []client.WorkerInfo, p ocispecs.Platform) bool {
	for _, w := range workers {
		for _, wp := range w.Platforms {
			if wp.OS == p.OS && wp.Architecture == p.Architecture {
				return true
			}
		}
	}
	return false
}
