package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
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

// invocation is one build of a variant of a function: a docker buildx
// build of the function, or a docker buildx bake of a monorepo's services.
type invocation struct {
	f   function
	v   variant
	dir string
	// tag is the images' tag.
	tag string
	// syntax replaces the variant's frontend image; empty for its own.
	syntax string
	// cacheTo and cacheFrom name the registry caches to export and import
	// by their tag, one cache per image.
	cacheTo, cacheFrom string
	// trace asks the frontend for a trace of its requests; a bake's five
	// frontends are not traced.
	trace bool
}

// images are the repositories an invocation's images are pushed to: one
// per service of a monorepo.
func (env *environment) images(f function, v variant) []string {
	repo := fmt.Sprintf("%s/bench/%s-%s", env.registry, f.name, slug(string(v)))
	if len(f.services) == 0 {
		return []string{repo}
	}
	repos := make([]string, len(f.services))
	for i, svc := range f.services {
		repos[i] = repo + "-" + svc
	}
	return repos
}

// cacheOf is the registry cache of an image repository, at tag.
func cacheOf(repo, tag string) string {
	return strings.Replace(repo, "/bench/", "/bench/cache/", 1) + ":" + tag
}

// slug is a name as a registry takes it in a repository or a tag.
func slug(name string) string {
	return strings.ToLower(strings.NewReplacer(" ", "-", ".", "-", ",", "").Replace(name))
}

// frontend is the frontend image an invocation runs: its syntax, else this
// project's for the lambda.yaml variants; none for a Dockerfile through
// the built-in frontend.
func (in invocation) frontend(env *environment) string {
	if in.syntax == "" && in.v.isLambdaYAML() {
		return env.frontend
	}
	return in.syntax
}

// build runs an invocation and pushes its images, each tagged in.tag.
func (env *environment) build(ctx context.Context, in invocation) (build, error) {
	repos := env.images(in.f, in.v)
	if len(in.f.services) == 0 {
		args := in.f.buildArgs(env.repo, in.dir, in.v, in.frontend(env))
		if in.cacheTo != "" {
			args = append(args, "--cache-to", "type=registry,mode=max,ref="+cacheOf(repos[0], in.cacheTo))
		}
		if in.cacheFrom != "" {
			args = append(args, "--cache-from", "type=registry,ref="+cacheOf(repos[0], in.cacheFrom))
		}
		if in.trace {
			args = append(args, "--build-arg", "BUILDKIT_LAMBDA_TRACE=1")
		}
		full := append([]string{"buildx", "build", "--builder", env.builder, "--progress", "rawjson", "-t", repos[0] + ":" + in.tag, "--push"}, args...)
		return env.measure(exec.CommandContext(ctx, "docker", append(full, in.dir)...), in.frontend(env))
	}
	return env.bake(ctx, in, repos)
}

// bake builds a monorepo's services with its docker-bake.hcl: the lambda
// group through lambda.yaml, the expert group through the expert
// Dockerfile.
func (env *environment) bake(ctx context.Context, in invocation, repos []string) (build, error) {
	group := "expert"
	if in.v.isLambdaYAML() {
		group = "lambda"
	}
	expertFile := filepath.Join(env.repo, "bench", "dockerfiles", in.f.name, "expert.Dockerfile")
	// The expert Dockerfile is outside the context: bake asks for leave to
	// read it.
	args := []string{"buildx", "bake", "--builder", env.builder, "--progress", "rawjson", "--push", "-f", "docker-bake.hcl", "--allow", "fs.read=" + expertFile}
	for i, svc := range in.f.services {
		if in.cacheTo != "" {
			args = append(args, "--set", fmt.Sprintf("%s-%s.cache-to=type=registry,mode=max,ref=%s", group, svc, cacheOf(repos[i], in.cacheTo)))
		}
		if in.cacheFrom != "" {
			args = append(args, "--set", fmt.Sprintf("%s-%s.cache-from=type=registry,ref=%s", group, svc, cacheOf(repos[i], in.cacheFrom)))
		}
	}
	cmd := exec.CommandContext(ctx, "docker", append(args, group)...)
	cmd.Dir = in.dir
	prefix := strings.TrimSuffix(repos[0], in.f.services[0])
	cmd.Env = append(os.Environ(), "PREFIX="+prefix, "TAG="+in.tag, "PLATFORM=linux/"+in.v.arch(), "FRONTEND="+in.frontend(env),
		"EXPERT="+expertFile)
	targets := make([]string, len(in.f.services))
	for i, svc := range in.f.services {
		targets[i] = group + "-" + svc
	}
	return env.measure(cmd, in.frontend(env), targets...)
}

// measure runs a docker buildx command with rawjson progress and reads
// what it did; frontend is the frontend image it runs, if any, and
// targets the bake targets whose names prefix the vertexes'.
func (env *environment) measure(cmd *exec.Cmd, frontend string, targets ...string) (build, error) {
	var progress bytes.Buffer
	cmd.Stderr = &progress
	peak := sampleRSS(env.buildkitd)
	start := time.Now()
	err := cmd.Run()
	wall := time.Since(start)
	rss := peak()
	vs := readVertexes(bytes.NewReader(progress.Bytes()))
	for i := range vs {
		vs[i].Name = withoutTarget(vs[i].Name, targets)
	}
	if err != nil {
		return build{}, fmt.Errorf("%v: %w\n%s", cmd.Args, err, errorsOf(vs, progress.Bytes()))
	}
	facts, err := summarize(vs, frontend, readTrace(bytes.NewReader(progress.Bytes())))
	if err != nil {
		return build{}, fmt.Errorf("%v: %w", cmd.Args, err)
	}
	return build{Wall: wall, PeakRSS: rss, solveFacts: facts}, nil
}

// withoutTarget strips the bake target bake puts at the head of a
// vertex's name: "[lambda-orders internal] load .dockerignore" is
// "[internal] load .dockerignore", "[lambda-orders] resolve image config"
// "resolve image config".
func withoutTarget(name string, targets []string) string {
	for _, t := range targets {
		if rest, ok := strings.CutPrefix(name, "["+t+"] "); ok {
			return rest
		}
		if rest, ok := strings.CutPrefix(name, "["+t+" "); ok {
			return "[" + rest
		}
	}
	return name
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
