package frontend

import (
	"context"
	"slices"
	"testing"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/gateway/client"
	fstypes "github.com/tonistiigi/fsutil/types"
)

// fakeGateway answers the requests the trace wraps; the rest of
// client.Client is left nil, and a test that reached it would panic.
type fakeGateway struct {
	client.Client
	opts map[string]string
	ref  client.Reference
}

func (g fakeGateway) BuildOpts() client.BuildOpts { return client.BuildOpts{Opts: g.opts} }

func (g fakeGateway) Solve(context.Context, client.SolveRequest) (*client.Result, error) {
	res := client.NewResult()
	res.SetRef(g.ref)
	return res, nil
}

func (g fakeGateway) CurrentFrontend() (*llb.State, error) {
	st := llb.Image("frontend")
	return &st, nil
}

type fakeRef struct{ client.Reference }

func (fakeRef) ReadFile(context.Context, client.ReadRequest) ([]byte, error) { return []byte("x"), nil }
func (fakeRef) StatFile(context.Context, client.StatRequest) (*fstypes.Stat, error) {
	return &fstypes.Stat{}, nil
}

func TestTraceOnlyWhenAsked(t *testing.T) {
	for _, v := range []string{"", "0", "false"} {
		g := fakeGateway{opts: map[string]string{"build-arg:" + traceArg: v}}
		c, trace := traceRequests(g)
		if _, wrapped := c.(tracingClient); wrapped || trace != nil {
			t.Errorf("%s=%q: the client is wrapped", traceArg, v)
		}
		trace.report(context.Background(), nil) // a nil trace reports nothing
	}
}

func TestTraceRecordsRequestsAndGivesBackTheGatewaysRef(t *testing.T) {
	ref := fakeRef{}
	c, trace := traceRequests(fakeGateway{opts: map[string]string{"build-arg:" + traceArg: "1"}, ref: ref})
	if trace == nil {
		t.Fatal("no trace with the build argument set")
	}
	ctx := context.Background()
	res, err := c.Solve(ctx, client.SolveRequest{})
	if err != nil {
		t.Fatal(err)
	}
	traced, err := res.SingleRef()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := traced.StatFile(ctx, client.StatRequest{Path: "lambda.yaml"}); err != nil {
		t.Fatal(err)
	}
	if _, err := traced.ReadFile(ctx, client.ReadRequest{Filename: "lambda.yaml"}); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, r := range trace.requests {
		names = append(names, r.Request)
		if r.End.Before(r.Start) {
			t.Errorf("%s ends before it starts", r.Request)
		}
	}
	if want := []string{"Solve", "StatFile lambda.yaml", "ReadFile lambda.yaml"}; !slices.Equal(names, want) {
		t.Errorf("requests %q, want %q", names, want)
	}
	// The gateway takes back only its own references in a result.
	if got := untraced(traced); got != client.Reference(ref) {
		t.Errorf("untraced gives %T, want the gateway's reference", got)
	}
	if st, err := currentFrontend(c); err != nil || st == nil {
		t.Errorf("the traced client hides the frontend's own image: %v, %v", st, err)
	}
}
