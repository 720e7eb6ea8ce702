package main

import (
	"context"
	"crypto/rand"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/internal/pypi"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func main() {
	runs := flag.Int("runs", 5, "runs of every sequence")
	coldRuns := flag.Int("cold-runs", 3, "how many of the runs start from an empty builder; the others start from the previous run's cache and skip the cold build")
	repo := flag.String("repo", ".", "the repository's root")
	builder := flag.String("builder", os.Getenv("BKL_BUILDER"), "the buildx builder")
	addr := flag.String("addr", os.Getenv("BKL_SOCK"), "the builder's buildkitd address, for pruning")
	registry := flag.String("registry", os.Getenv("BKL_REGISTRY"), "the loopback registry")
	out := flag.String("out", "bench/RESULTS.md", "the results file to write")
	chart := flag.String("chart", "bench/ratios.png", "the chart to write")
	only := flag.String("examples", "", "comma-separated examples to run, all when empty (for trying the benchmark out)")
	flag.Parse()
	if *only != "" {
		examples = slices.DeleteFunc(examples, func(e example) bool { return !slices.Contains(strings.Split(*only, ","), e.name) })
	}
	if err := run(context.Background(), *repo, *runs, min(*coldRuns, *runs), *out, *chart, &environment{builder: *builder, addr: *addr, registry: *registry}); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, repo string, runs, coldRuns int, out, chart string, env *environment) error {
	started := time.Now()
	index, err := pypi.Serve(repo, "bench", "pw-"+rand.Text())
	if err != nil {
		return err
	}
	defer index.Close()
	env.pipIndex = index.URL
	if err := env.frontendImages(ctx, repo); err != nil {
		return err
	}
	res := &results{runs: runs, coldRuns: coldRuns, started: started}
	for run := range runs {
		for _, e := range examples {
			// Each run starts with another variant, so that none always
			// follows the same one.
			for i := range variants {
				v := variants[(i+run)%len(variants)]
				if err := env.sequence(ctx, repo, e, v, run, run < coldRuns, res); err != nil {
					return err
				}
			}
			if err := env.overhead(ctx, repo, e, res); err != nil {
				return err
			}
		}
		log("run %d of %d done after %s", run+1, runs, time.Since(started).Round(time.Second))
	}
	res.frontendSizes, err = env.frontendSizes()
	if err != nil {
		return err
	}
	res.duration = time.Since(started)
	if err := res.write(out, env); err != nil {
		return err
	}
	return res.chart(chart)
}

// sequence builds one variant of an example through every scenario, each
// on the state the previous one left. A cold sequence starts from an empty
// builder; the others start from the cache the previous run left, which
// holds the unchanged example, so their first build is not recorded.
func (env *environment) sequence(ctx context.Context, repo string, e example, v variant, run int, fromEmpty bool, res *results) error {
	dir, err := os.MkdirTemp("", "bench-"+e.name+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(repo, "examples", e.name))); err != nil {
		return fmt.Errorf("copying examples/%s: %w", e.name, err)
	}
	if fromEmpty {
		if err := env.prune(ctx); err != nil {
			return err
		}
	}
	base, err := baseLayers(env.registry, e.name)
	if err != nil {
		return err
	}
	var prev *imageFacts
	for _, s := range scenarios {
		if err := e.change(repo, dir, s, run); err != nil {
			return err
		}
		ref := fmt.Sprintf("%s/bench/%s-%s:%s", env.registry, e.name, strings.TrimSuffix(string(v), ".yaml"), strings.ReplaceAll(string(s), " ", "-"))
		fe := ""
		if v == lambdaYAML {
			fe = env.frontend
		}
		b, err := env.buildx(ctx, dir, ref, fe, e.buildArgs(repo, dir, v, env))
		if err != nil {
			return err
		}
		if b.Image, err = inspectImage(ref, base, prev); err != nil {
			return err
		}
		prev = &b.Image
		if s == cold && !fromEmpty {
			continue
		}
		res.add(e.name, v, s, b)
		log("%-6s %-11s %-17s %6.1fs  %d run, %d cached, %d B new", e.name, v, s, b.Wall.Seconds(), b.Executed, b.Cached, b.Image.New)
	}
	return nil
}

// overhead builds the expert Dockerfile once more, fully cached, through
// the Dockerfile frontend as an image: the way lambda.yaml's frontend runs.
func (env *environment) overhead(ctx context.Context, repo string, e example, res *results) error {
	dir := filepath.Join(repo, "examples", e.name)
	args := append(e.buildArgs(repo, dir, expert, env), "--build-arg", "BUILDKIT_SYNTAX="+env.dockerfileFrontend)
	// Same tag as a warm expert build, so the push is a no-op too.
	ref := fmt.Sprintf("%s/bench/%s-expert-image-frontend:latest", env.registry, e.name)
	if _, err := env.buildx(ctx, dir, ref, env.dockerfileFrontend, args); err != nil {
		return err // the first build of a run fills the cache
	}
	b, err := env.buildx(ctx, dir, ref, env.dockerfileFrontend, args)
	if err != nil {
		return err
	}
	res.addImageFrontend(e.name, b)
	return nil
}

// frontendImages builds this project's frontend image and the Dockerfile
// frontend of the same BuildKit release, and pushes both.
func (env *environment) frontendImages(ctx context.Context, repo string) error {
	env.frontend = env.registry + "/buildkit-lambda/frontend:bench"
	env.dockerfileFrontend = env.registry + "/bench/dockerfile-frontend:v0.33.1"
	for _, b := range []struct{ ref, file string }{
		{env.frontend, filepath.Join(repo, "Dockerfile")},
		{env.dockerfileFrontend, filepath.Join(repo, "bench", "dockerfile-frontend.Dockerfile")},
	} {
		log("building %s", b.ref)
		cmd := exec.CommandContext(ctx, "docker", "buildx", "build", "--builder", env.builder, "--provenance=false", "-f", b.file, "-t", b.ref, "--push", repo)
		if out, err := cmd.CombinedOutput(); err != nil {
			return fmt.Errorf("building %s: %w\n%s", b.ref, err, out)
		}
	}
	return nil
}

// frontendSizes are the compressed sizes of the two frontend images.
func (env *environment) frontendSizes() (map[string]int64, error) {
	sizes := map[string]int64{}
	for _, ref := range []string{env.frontend, env.dockerfileFrontend} {
		_, layers, err := remoteLayers(ref)
		if err != nil {
			return nil, err
		}
		sizes[ref] = layerBytes(layers)
	}
	return sizes, nil
}

func layerBytes(ls []v1.Descriptor) int64 {
	var n int64
	for _, l := range ls {
		n += l.Size
	}
	return n
}

func log(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "==> "+format+"\n", args...)
}
