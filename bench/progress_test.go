package main

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/frontend"
	"github.com/buildkit-lambda/buildkit-lambda/internal/golden"
)

var _ = golden.Update // every test binary takes -update

func TestSummarize(t *testing.T) {
	// A warm build through an image frontend, as buildx --progress rawjson
	// writes it: updates of one vertex arrive in several messages, one step
	// is reported cached and then run (moby/buildkit#4674), and a failed
	// build ends with text.
	const stream = `{"vertexes":[{"digest":"a","name":"resolve image config for docker-image://reg/fe:1","started":"2026-01-01T00:00:00Z","completed":"2026-01-01T00:00:00.010Z"}]}
{"vertexes":[{"digest":"b","name":"docker-image://reg/fe:1@sha256:x","started":"2026-01-01T00:00:00.020Z"}]}
{"vertexes":[{"digest":"b","name":"docker-image://reg/fe:1@sha256:x","started":"2026-01-01T00:00:00.020Z","completed":"2026-01-01T00:00:00.030Z","cached":true}]}
{"vertexes":[{"digest":"c","name":"[internal] load dependency manifests","started":"2026-01-01T00:00:00.100Z","completed":"2026-01-01T00:00:00.110Z"}]}
{"vertexes":[{"digest":"d","name":"[internal] load build context","started":"2026-01-01T00:00:00.150Z","completed":"2026-01-01T00:00:00.160Z"}]}
{"vertexes":[{"digest":"e","name":"[nodejs22] npm ci","started":"2026-01-01T00:00:00.170Z","completed":"2026-01-01T00:00:00.170Z","cached":true}]}
{"vertexes":[{"digest":"f","name":"[nodejs22] npm run build","started":"2026-01-01T00:00:00.180Z","completed":"2026-01-01T00:00:02Z"}]}
{"vertexes":[{"digest":"i","name":"[nodejs22] preflight: the dependencies'","started":"2026-01-01T00:00:00.170Z","completed":"2026-01-01T00:00:00.170Z","cached":true}]}
{"vertexes":[{"digest":"i","name":"[nodejs22] preflight: the dependencies'","started":"2026-01-01T00:00:01Z","completed":"2026-01-01T00:00:01.100Z"}]}
{"vertexes":[{"digest":"h","name":"[nodejs22] preflight checks: handler","started":"2026-01-01T00:00:02Z","completed":"2026-01-01T00:00:02.200Z"}]}
{"vertexes":[{"digest":"g","name":"exporting to image","started":"2026-01-01T00:00:02Z","completed":"2026-01-01T00:00:02.100Z"}]}
ERROR: failed to build`
	for _, tc := range []struct {
		name, frontend   string
		executed, cached int
		overhead         time.Duration
		phases           string
	}{
		{"image frontend", "reg/fe:1", 4, 1, 150 * time.Millisecond,
			"resolve image config for docker-image://reg/fe:1@0s+10ms,docker-image://reg/fe:1@sha256:x@20ms+10ms,[internal] load dependency manifests@100ms+10ms"},
		// Without the frontend's name, its pull counts as a cached step.
		{"unknown frontend", "", 4, 2, 20 * time.Millisecond,
			"resolve image config for docker-image://reg/fe:1@0s+10ms"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f, err := summarize(readVertexes(strings.NewReader(stream)), tc.frontend, nil)
			if err != nil {
				t.Fatal(err)
			}
			if f.Executed != tc.executed || f.Cached != tc.cached || f.Overhead != tc.overhead {
				t.Errorf("got %d run, %d cached, overhead %s; want %d, %d, %s", f.Executed, f.Cached, f.Overhead, tc.executed, tc.cached, tc.overhead)
			}
			var ran []string
			for _, step := range f.Ran {
				ran = append(ran, step.name)
			}
			if want := "[internal] load build context,[nodejs22] npm run build,[nodejs22] preflight: the dependencies',[nodejs22] preflight checks: handler"; strings.Join(ran, ",") != want {
				t.Errorf("ran %q, want %q", ran, want)
			}
			if f.Preflight != 300*time.Millisecond {
				t.Errorf("preflight took %s, want 300ms", f.Preflight)
			}
			var phases []string
			for _, ph := range f.Phases {
				phases = append(phases, fmt.Sprintf("%s@%s+%s", ph.Name, ph.Start, ph.Length))
			}
			if got := strings.Join(phases, ","); got != tc.phases {
				t.Errorf("phases %s, want %s", got, tc.phases)
			}
		})
	}
}

func TestSpread(t *testing.T) {
	for _, tc := range []struct {
		xs   []float64
		want spread
	}{
		{[]float64{3, 1, 2}, spread{2, 1, 3}},
		{[]float64{4, 1, 3, 2}, spread{2.5, 1, 4}},
		{nil, spread{}},
	} {
		if got := spreadOf(tc.xs); got != tc.want {
			t.Errorf("spreadOf(%v) = %+v, want %+v", tc.xs, got, tc.want)
		}
	}
}

func TestMilestones(t *testing.T) {
	ms := time.Millisecond
	// The base image's config resolved while the manifests were read, as
	// the frontend now does it.
	f := solveFacts{Overhead: 90 * ms, Phases: []phase{
		{Name: "[internal] load build definition from lambda.yaml", Start: 50 * ms, Length: 5 * ms},
		{Name: "[internal] load .dockerignore", Start: 58 * ms, Length: 6 * ms},
		{Name: "[internal] load metadata for public.ecr.aws/lambda/python:3.12", Start: 58 * ms, Length: 25 * ms},
		{Name: "[internal] load dependency manifests", Start: 66 * ms, Length: 4 * ms},
	}}
	want := []time.Duration{50 * ms, 55 * ms, 70 * ms, 83 * ms, 90 * ms}
	for i, m := range milestones {
		got, ok := m.at(f)
		if !ok || got != want[i] {
			t.Errorf("%s at %s (found %t), want %s", m.name, got, ok, want[i])
		}
	}
	// A function without manifests: the context read ends with
	// .dockerignore.
	f.Phases = f.Phases[:3]
	if got, _ := milestones[2].at(f); got != 64*ms {
		t.Errorf("%s at %s without manifests, want 64ms", milestones[2].name, got)
	}
	if _, ok := milestones[0].at(solveFacts{}); ok {
		t.Error("a build without the frontend's phases reached its first milestone")
	}
}

func TestWithoutTarget(t *testing.T) {
	targets := []string{"lambda-orders", "lambda-orders-v2"}
	for name, want := range map[string]string{
		"[lambda-orders internal] load .dockerignore":                      "[internal] load .dockerignore",
		"[lambda-orders] resolve image config for docker-image://reg/fe:1": "resolve image config for docker-image://reg/fe:1",
		"[lambda-orders nodejs22] npm ci":                                  "[nodejs22] npm ci",
		"[lambda-orders-v2 nodejs22] npm ci":                               "[nodejs22] npm ci",
		"[nodejs22] npm ci":                                                "[nodejs22] npm ci",
	} {
		if got := withoutTarget(name, targets); got != want {
			t.Errorf("withoutTarget(%q) = %q, want %q", name, got, want)
		}
	}
}

func TestTraceRequests(t *testing.T) {
	at := func(ms int) time.Time {
		return time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(ms) * time.Millisecond)
	}
	trace, err := json.Marshal(frontend.Trace{Process: at(60), Requests: []frontend.TracedRequest{
		{Request: "Solve", Start: at(62), End: at(63)},
		{Request: "StatFile lambda.yaml", Start: at(63), End: at(71)},
		{Request: "Solve", Start: at(100), End: at(101)}, // the build's, as its first step starts
		{Request: "Solve", Start: at(160), End: at(170)}, // the preflight checks'
		{Request: "ResolveImageConfig img", Start: at(62), End: at(90)},
	}})
	if err != nil {
		t.Fatal(err)
	}
	// buildx writes a warning's message as base64, which encoding/json
	// decodes into []byte.
	warning, err := json.Marshal(map[string]any{"warnings": []map[string]any{
		{"short": []byte("Lambda refuses image indexes")},
		{"short": []byte(frontend.TracePrefix + string(trace))},
	}})
	if err != nil {
		t.Fatal(err)
	}
	stream := `{"vertexes":[{"digest":"a","name":"resolve image config for docker-image://reg/fe:1","started":"2026-01-01T00:00:00Z","completed":"2026-01-01T00:00:00.010Z"}]}
{"vertexes":[{"digest":"e","name":"[nodejs22] npm ci","started":"2026-01-01T00:00:00.100Z","completed":"2026-01-01T00:00:00.100Z","cached":true}]}
` + string(warning) + "\n"
	f, err := summarize(readVertexes(strings.NewReader(stream)), "reg/fe:1", readTrace(strings.NewReader(stream)))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, rq := range f.Requests {
		got = append(got, fmt.Sprintf("%s@%s+%s", rq.Name, rq.Start, rq.Length))
	}
	if want := "process started@60ms+0s,Solve@62ms+1ms,ResolveImageConfig img@62ms+28ms,StatFile lambda.yaml@63ms+8ms,Solve@100ms+1ms"; strings.Join(got, ",") != want {
		t.Errorf("requests %s, want %s", strings.Join(got, ","), want)
	}
	if readTrace(strings.NewReader(`{"vertexes":[]}`)) != nil {
		t.Error("a trace from a stream without one")
	}
}
