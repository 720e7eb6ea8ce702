package main

import (
	"bytes"
	"context"
	"fmt"
	"os/exec"
	"strings"
	"time"
)

// environment is the BuildKit set-up every build of a run shares.
type environment struct {
	// builder is the buildx builder; addr is its buildkitd, for pruning.
	builder, addr string
	// registry is the loopback registry the images are pushed to.
	registry string
	// frontend is this project's frontend image; dockerfileFrontend is the
	// Dockerfile frontend of the same BuildKit release as an image, for
	// comparing like with like.
	frontend, dockerfileFrontend string
	// frontendBefore is the frontend image of commit beforeRev, whose
	// overhead this tree's is compared with; empty when not built.
	frontendBefore, beforeRev string
	// repo is the repository's root.
	repo string
	// buildkitd is the builder's buildkitd process, whose memory is
	// sampled during each build, and pidFile where its pid is written.
	buildkitd int
	pidFile   string
}

// build is the outcome of one docker buildx build.
type build struct {
	Wall time.Duration
	// PeakRSS is the most memory buildkitd held during the build.
	PeakRSS int64
	solveFacts
	Image imageFacts
}

// buildx runs docker buildx build with rawjson progress, pushing to ref.
func (env *environment) buildx(ctx context.Context, dir, ref string, args []string) (build, error) {
	full := append([]string{"buildx", "build", "--builder", env.builder, "--progress", "rawjson", "-t", ref, "--push"}, args...)
	full = append(full, dir)
	cmd := exec.CommandContext(ctx, "docker", full...)
	var progress bytes.Buffer
	cmd.Stderr = &progress
	peak := sampleRSS(env.buildkitd)
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	rss := peak()
	vs := readVertexes(bytes.NewReader(progress.Bytes()))
	if err != nil {
		return build{}, fmt.Errorf("docker %v: %w\n%s", full, err, errorsOf(vs, progress.Bytes()))
	}
	facts, err := summarize(vs, frontendOf(args))
	if err != nil {
		return build{}, fmt.Errorf("building %s: %w", ref, err)
	}
	return build{Wall: wall, PeakRSS: rss, solveFacts: facts}, nil
}

// frontendOf is the frontend image a build's arguments name, if any: the
// last one, which buildx passes on.
func frontendOf(args []string) string {
	fe := ""
	for _, a := range args {
		if v, ok := strings.CutPrefix(a, "BUILDKIT_SYNTAX="); ok {
			fe = v
		}
	}
	return fe
}

// errorsOf is what to show of a failed build: its failed vertexes, or the
// tail of its output when they cannot be read.
func errorsOf(vs []vertex, raw []byte) string {
	var b bytes.Buffer
	for _, v := range vs {
		if v.Error != "" {
			fmt.Fprintf(&b, "%s: %s\n", v.Name, v.Error)
		}
	}
	if b.Len() == 0 {
		if len(raw) > 4000 {
			raw = raw[len(raw)-4000:]
		}
		return string(raw)
	}
	return b.String()
}

// prune empties the builder's cache, cache mounts included, for a cold
// build. The base images stay in the registry.
func (env *environment) prune(ctx context.Context) error {
	out, err := exec.CommandContext(ctx, "buildctl", "--addr", env.addr, "prune", "--all").CombinedOutput()
	if err != nil {
		return fmt.Errorf("buildctl prune --all: %w\n%s", err, out)
	}
	return nil
}
