package main

import (
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/frontend"
)

// vertex is one step of a solve as --progress rawjson reports it.
type vertex struct {
	Digest    string     `json:"digest"`
	Name      string     `json:"name"`
	Started   *time.Time `json:"started"`
	Completed *time.Time `json:"completed"`
	Cached    bool       `json:"cached"`
	Error     string     `json:"error"`
	// ran says an update reported the vertex completed and not cached:
	// BuildKit may report a step cached and then run it all the same
	// (moby/buildkit#4674), which counts as run, from runStarted.
	ran        bool
	runStarted *time.Time
}

// readVertexes merges the vertex updates of a rawjson progress stream by
// digest, keeping the first start and the last completion.
func readVertexes(r io.Reader) []vertex {
	byDigest := map[string]*vertex{}
	var order []string
	dec := json.NewDecoder(r)
	for {
		var msg struct {
			Vertexes []vertex `json:"vertexes"`
		}
		if err := dec.Decode(&msg); err != nil {
			// buildx ends a failed build's stream with text, not JSON.
			break
		}
		for _, v := range msg.Vertexes {
			cur, ok := byDigest[v.Digest]
			if !ok {
				cur = &vertex{Digest: v.Digest}
				byDigest[v.Digest] = cur
				order = append(order, v.Digest)
			}
			cur.Name = v.Name
			if v.Started != nil && (cur.Started == nil || v.Started.Before(*cur.Started)) {
				cur.Started = v.Started
			}
			if v.Completed != nil {
				cur.Completed = v.Completed
			}
			cur.Cached = cur.Cached || v.Cached
			if v.Completed != nil && !v.Cached {
				cur.ran, cur.runStarted = true, cmp.Or(v.Started, cur.Started)
			}
			if v.Error != "" {
				cur.Error = v.Error
			}
		}
	}
	vs := make([]vertex, 0, len(order))
	for _, d := range order {
		vs = append(vs, *byDigest[d])
	}
	return vs
}

// frontendWork are the vertexes a frontend runs before it hands BuildKit
// the build's LLB: loading the frontend and the build definition, reading
// .dockerignore, manifests and image configs.
var frontendWork = []string{
	"resolve image config for ",
	"[internal] load build definition",
	"[internal] load .dockerignore",
	"[internal] load metadata for ",
	"[internal] load dependency manifests",
	"[internal] load local bake definitions",
	"[auth] ",
}

// isFrontendWork says whether a vertex is the frontend's own work; image
// is the frontend image's reference, whose pull is part of it.
func isFrontendWork(v vertex, image string) bool {
	for _, p := range frontendWork {
		if strings.HasPrefix(v.Name, p) {
			return true
		}
	}
	return image != "" && strings.HasPrefix(v.Name, "docker-image://"+image)
}

// isStep says whether a vertex is a step of the build: not the frontend's
// work, nor exporting and pushing the result.
func isStep(v vertex, image string) bool {
	return !isFrontendWork(v, image) && !strings.HasPrefix(v.Name, "exporting ") && !strings.HasPrefix(v.Name, "pushing ")
}

// ranStep is a step a build ran, and how long it took.
type ranStep struct {
	name string
	took time.Duration
}

// solveFacts are what a build's progress says.
type solveFacts struct {
	// Executed and Cached count the build's steps that ran and that came
	// from the cache.
	Executed, Cached int
	// Ran are the steps that ran, in order.
	Ran []ranStep
	// Preflight is the time the preflight checks' steps that ran took,
	// added up.
	Preflight time.Duration
	// Overhead is the time from the first vertex of the solve to the first
	// step of the build's LLB.
	Overhead time.Duration
	// Phases are the frontend's vertexes before the first step, in the
	// order they started.
	Phases []phase
	// Requests are the frontend's requests to BuildKit until the first
	// step, from its trace, in the order they started: its process's
	// start first, the build's own solve last. None when the build asked
	// for no trace.
	Requests []phase
}

// phase is one vertex of the frontend's work, timed from the solve's first
// vertex.
type phase struct {
	Name          string
	Start, Length time.Duration
}

func summarize(vs []vertex, frontendImage string, trace *frontend.Trace) (solveFacts, error) {
	var f solveFacts
	var first, firstStep *time.Time
	for _, v := range vs {
		if v.Started != nil && (first == nil || v.Started.Before(*first)) {
			first = v.Started
		}
		if !isStep(v, frontendImage) {
			continue
		}
		if v.Started != nil && (firstStep == nil || v.Started.Before(*firstStep)) {
			firstStep = v.Started
		}
		switch {
		case v.ran:
			f.Executed++
			var took time.Duration
			if v.runStarted != nil {
				took = v.Completed.Sub(*v.runStarted)
			}
			f.Ran = append(f.Ran, ranStep{name: v.Name, took: took})
			if strings.Contains(v.Name, "] preflight") {
				f.Preflight += took
			}
		case v.Cached:
			f.Cached++
		}
	}
	if first == nil || firstStep == nil {
		return f, fmt.Errorf("the progress has no build step")
	}
	f.Overhead = firstStep.Sub(*first)
	for _, v := range vs {
		if isStep(v, frontendImage) || v.Started == nil || v.Completed == nil || v.Started.After(*firstStep) {
			continue
		}
		f.Phases = append(f.Phases, phase{Name: v.Name, Start: v.Started.Sub(*first), Length: v.Completed.Sub(*v.Started)})
	}
	slices.SortStableFunc(f.Phases, func(a, b phase) int { return cmp.Compare(a.Start, b.Start) })
	f.Requests = requestPhases(trace, *first, *firstStep)
	return f, nil
}

// requestPhases are a trace's requests that started before firstStep, and
// the first one after, which is the build's own solve: its first step
// starts as soon as BuildKit has it. They are timed from the solve's first
// vertex.
func requestPhases(t *frontend.Trace, first, firstStep time.Time) []phase {
	if t == nil {
		return nil
	}
	requests := slices.SortedStableFunc(slices.Values(t.Requests), func(a, b frontend.TracedRequest) int { return a.Start.Compare(b.Start) })
	out := []phase{{Name: "process started", Start: t.Process.Sub(first)}}
	for _, r := range requests {
		out = append(out, phase{Name: r.Request, Start: r.Start.Sub(first), Length: r.End.Sub(r.Start)})
		if !r.Start.Before(firstStep) {
			break
		}
	}
	return out
}

// readTrace finds the frontend's trace among the warnings of a rawjson
// progress stream: nil when there is none.
func readTrace(r io.Reader) *frontend.Trace {
	dec := json.NewDecoder(r)
	for {
		var msg struct {
			Warnings []struct {
				Short []byte `json:"short"`
			} `json:"warnings"`
		}
		if err := dec.Decode(&msg); err != nil {
			return nil
		}
		for _, w := range msg.Warnings {
			if t, ok := frontend.ParseTrace(string(w.Short)); ok {
				return t
			}
		}
	}
}
