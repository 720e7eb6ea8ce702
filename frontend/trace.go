package frontend

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"time"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	digest "github.com/opencontainers/go-digest"
	fstypes "github.com/tonistiigi/fsutil/types"
)

// traceArg is the build argument that asks for a trace of the frontend's
// requests: --build-arg BUILDKIT_LAMBDA_TRACE=1.
const traceArg = "BUILDKIT_LAMBDA_TRACE"

// TracePrefix starts the warning that carries a trace; the JSON of a Trace
// follows it.
const TracePrefix = "buildkit-lambda trace: "

// processStart is when the frontend's process started, near enough: its
// package variables are set before main runs.
var processStart = time.Now()

// Trace is when the frontend's process started and when each of its
// requests to BuildKit started and ended. The build's progress shows the
// vertexes the frontend solves, not its file reads, each of which is a
// round trip that mounts a result in buildkitd; the benchmark reads the
// trace to say where the frontend's time goes.
type Trace struct {
	Process  time.Time       `json:"process"`
	Requests []TracedRequest `json:"requests"`
}

// TracedRequest is one request to BuildKit: its method and what it names.
type TracedRequest struct {
	Request string    `json:"request"`
	Start   time.Time `json:"start"`
	End     time.Time `json:"end"`
}

// requestTrace records the requests of one build.
type requestTrace struct {
	mu       sync.Mutex
	requests []TracedRequest
}

// traceRequests wraps c so that its requests are recorded, when the build
// asks for a trace; otherwise it returns c and a nil trace.
func traceRequests(c client.Client) (client.Client, *requestTrace) {
	if v := c.BuildOpts().Opts["build-arg:"+traceArg]; v == "" || v == "0" || v == "false" {
		return c, nil
	}
	t := &requestTrace{}
	return tracingClient{Client: c, t: t}, t
}

// record adds a request that started at start and ends now.
func (t *requestTrace) record(request string, start time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.requests = append(t.requests, TracedRequest{Request: request, Start: start, End: time.Now()})
}

// report shows the trace as a warning of the build definition: buildx
// prints it, and --progress rawjson carries it whole. A nil trace reports
// nothing.
func (t *requestTrace) report(ctx context.Context, src *dockerui.Source) {
	if t == nil {
		return
	}
	t.mu.Lock()
	out := Trace{Process: processStart, Requests: t.requests}
	dt, err := json.Marshal(out)
	t.mu.Unlock()
	if err != nil {
		return
	}
	src.Warn(ctx, TracePrefix+string(dt), client.WarnOpts{})
}

// ParseTrace reads a trace from a warning's message: ok is false when the
// message is not a trace.
func ParseTrace(msg string) (_ *Trace, ok bool) {
	rest, ok := strings.CutPrefix(msg, TracePrefix)
	if !ok {
		return nil, false
	}
	var t Trace
	if err := json.Unmarshal([]byte(rest), &t); err != nil {
		return nil, false
	}
	return &t, true
}

// tracingClient is a gateway client that records its requests. The
// references of its results are tracingRefs; untraced gives back the
// gateway's own, which is all the gateway takes in a result.
type tracingClient struct {
	client.Client
	t *requestTrace
}

func (c tracingClient) Solve(ctx context.Context, req client.SolveRequest) (*client.Result, error) {
	start := time.Now()
	res, err := c.Client.Solve(ctx, req)
	c.t.record("Solve", start)
	if res != nil {
		if res.Ref != nil {
			res.Ref = tracingRef{Reference: res.Ref, t: c.t}
		}
		for k, r := range res.Refs {
			if r != nil {
				res.Refs[k] = tracingRef{Reference: r, t: c.t}
			}
		}
	}
	return res, err
}

func (c tracingClient) ResolveImageConfig(ctx context.Context, ref string, opt sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	start := time.Now()
	name, dgst, dt, err := c.Client.ResolveImageConfig(ctx, ref, opt)
	c.t.record("ResolveImageConfig "+ref, start)
	return name, dgst, dt, err
}

func (c tracingClient) Inputs(ctx context.Context) (map[string]llb.State, error) {
	start := time.Now()
	inputs, err := c.Client.Inputs(ctx)
	c.t.record("Inputs", start)
	return inputs, err
}

// CurrentFrontend passes on the gateway client's method, which the
// client.Client interface does not list.
func (c tracingClient) CurrentFrontend() (*llb.State, error) {
	cf, ok := c.Client.(interface{ CurrentFrontend() (*llb.State, error) })
	if !ok {
		return nil, nil
	}
	return cf.CurrentFrontend()
}

// tracingRef records the reads of a result.
type tracingRef struct {
	client.Reference
	t *requestTrace
}

func (r tracingRef) ReadFile(ctx context.Context, req client.ReadRequest) ([]byte, error) {
	start := time.Now()
	dt, err := r.Reference.ReadFile(ctx, req)
	r.t.record("ReadFile "+req.Filename, start)
	return dt, err
}

func (r tracingRef) StatFile(ctx context.Context, req client.StatRequest) (*fstypes.Stat, error) {
	start := time.Now()
	st, err := r.Reference.StatFile(ctx, req)
	r.t.record("StatFile "+req.Path, start)
	return st, err
}

func (r tracingRef) ReadDir(ctx context.Context, req client.ReadDirRequest) ([]*fstypes.Stat, error) {
	start := time.Now()
	entries, err := r.Reference.ReadDir(ctx, req)
	r.t.record("ReadDir "+req.Path, start)
	return entries, err
}

// untraced is the gateway's own reference behind ref.
func untraced(ref client.Reference) client.Reference {
	if tr, ok := ref.(tracingRef); ok {
		return tr.Reference
	}
	return ref
}
