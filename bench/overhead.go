package main

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// warmRepeats is how many fully cached builds each frontend's overhead is
// the median of. One warm build varies by tens of milliseconds here, the
// size of what the overhead work cuts.
const warmRepeats = 5

// frontendRun is one way a function's warm no-op build goes through a
// frontend.
type frontendRun string

const (
	// lambdaNow is lambda.yaml through this tree's frontend image.
	lambdaNow frontendRun = "lambda.yaml"
	// lambdaBefore is lambda.yaml through the frontend image of the commit
	// -before names: the same LLB, the frontend's own work as it was.
	lambdaBefore frontendRun = "lambda.yaml, frontend before"
	// expertBuiltIn is the expert Dockerfile through the Dockerfile
	// frontend built into buildkitd.
	expertBuiltIn frontendRun = "expert, built-in frontend"
	// expertImage is the expert Dockerfile through BuildKit's Dockerfile
	// frontend as an image, started in a container as lambda.yaml's is.
	expertImage frontendRun = "expert, Dockerfile frontend image"
)

var frontendRuns = []frontendRun{lambdaNow, lambdaBefore, expertBuiltIn, expertImage}

// warmBuilds builds a function's warm no-op warmRepeats times through
// each frontend that variant v goes through, after one build that fills
// the cache for it. It runs right after v's sequence, whose cache holds
// everything but the code change.
func (env *environment) warmBuilds(ctx context.Context, f function, v variant, res *results) error {
	dir := filepath.Join(env.repo, "bench", "functions", f.name)
	runs := map[variant][]frontendRun{lambdaYAML: {lambdaNow, lambdaBefore}, expert: {expertBuiltIn, expertImage}}[v]
	for _, run := range runs {
		in := invocation{f: f, v: v, dir: dir, tag: "warm-" + slug(string(run)), trace: run == lambdaNow}
		switch run {
		case lambdaBefore:
			if env.frontendBefore == "" {
				continue
			}
			in.syntax = env.frontendBefore
		case expertImage:
			in.syntax = env.dockerfileFrontend
		}
		if _, err := env.build(ctx, in); err != nil {
			return err
		}
		for range warmRepeats {
			b, err := env.build(ctx, in)
			if err != nil {
				return err
			}
			res.addWarm(f.name, run, b)
		}
		log("%-11s %-35s warm no-op ×%d: median %.0f ms overhead, %.2f s wall", f.name, run, warmRepeats,
			figure(res.warm[f.name][run], overheadMillis).median, figure(res.warm[f.name][run], wallSeconds).median)
	}
	return nil
}

// buildFrontendBefore builds the frontend image of commit rev, from its
// files as git holds them, so that the frontend's work is compared before
// and after in the same run. A clone without rev's history skips the
// comparison and says so.
func (env *environment) buildFrontendBefore(ctx context.Context, rev string) error {
	if rev == "" {
		return nil
	}
	dir, err := os.MkdirTemp("", "bench-frontend-before-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	archive := exec.CommandContext(ctx, "sh", "-c", `git -C "$1" archive "$2" | tar -x -C "$3"`, "sh", env.repo, rev, dir)
	if out, err := archive.CombinedOutput(); err != nil {
		log("no frontend before: git archive %s failed (%v): %s", rev, err, strings.TrimSpace(string(out)))
		return nil
	}
	env.frontendBefore = env.registry + "/buildkit-lambda/frontend:before"
	env.beforeRev = rev
	return env.buildImage(ctx, env.frontendBefore, filepath.Join(dir, "Dockerfile"), dir)
}

// milestone is a point of the frontend's work in a warm build, in time
// from the solve's first vertex.
type milestone struct {
	name string
	at   func(solveFacts) (time.Duration, bool)
}

// milestones are the points the overhead is reported at. With the base
// image resolved alongside the build context, the last two may come in
// either order.
var milestones = []milestone{
	{"frontend started (its first request)", func(f solveFacts) (time.Duration, bool) {
		return phaseTime(f, "[internal] load build definition", false)
	}},
	{"build definition read", func(f solveFacts) (time.Duration, bool) {
		return phaseTime(f, "[internal] load build definition", true)
	}},
	{".dockerignore and manifests read", func(f solveFacts) (time.Duration, bool) {
		if t, ok := phaseTime(f, "[internal] load dependency manifests", true); ok {
			return t, true
		}
		return phaseTime(f, "[internal] load .dockerignore", true)
	}},
	{"base image config resolved", func(f solveFacts) (time.Duration, bool) {
		return phaseTime(f, "[internal] load metadata for ", true)
	}},
	{"first step of the build", func(f solveFacts) (time.Duration, bool) { return f.Overhead, true }},
}

// phaseTime is when the last phase named with prefix started, or ended.
func phaseTime(f solveFacts, prefix string, end bool) (time.Duration, bool) {
	var t time.Duration
	found := false
	for _, ph := range f.Phases {
		if !strings.HasPrefix(ph.Name, prefix) {
			continue
		}
		at := ph.Start
		if end {
			at += ph.Length
		}
		t, found = max(t, at), true
	}
	return t, found
}
