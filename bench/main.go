package main

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
)

func main() {
	runs := flag.Int("runs", 1, "runs of every sequence, each from an empty builder")
	repo := flag.String("repo", ".", "the repository's root")
	builder := flag.String("builder", os.Getenv("BKL_BUILDER"), "the buildx builder")
	addr := flag.String("addr", os.Getenv("BKL_SOCK"), "the builder's buildkitd address, for pruning")
	pidFile := flag.String("pidfile", filepath.Join(os.Getenv("BKL_STATE"), "buildkitd.pid"), "the builder's buildkitd pid file, for its memory")
	registryAddr := flag.String("registry", os.Getenv("BKL_REGISTRY"), "the loopback registry")
	out := flag.String("out", "bench/RESULTS.md", "the results file to write")
	chart := flag.String("chart", "bench/ratios.png", "the chart to write")
	only := flag.String("functions", "", "comma-separated functions to run, all when empty (for trying the benchmark out)")
	flag.BoolVar(&verbose, "v", false, "log the steps each build ran")
	onlyVariants := flag.String("variants", "", "comma-separated variants to run, all when empty (for trying the benchmark out)")
	before := flag.String("before", overheadBaseline, "the commit whose frontend the overhead is compared with, none when empty")
	flag.Parse()
	if *only != "" {
		functions = slices.DeleteFunc(functions, func(f function) bool { return !slices.Contains(strings.Split(*only, ","), f.name) })
	}
	if *onlyVariants != "" {
		plan = slices.DeleteFunc(plan, func(p step) bool { return !slices.Contains(strings.Split(*onlyVariants, ","), string(p.variant)) })
	}
	// Bake runs in the function's directory: every path it is given is
	// absolute.
	root, err := filepath.Abs(*repo)
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	env := &environment{builder: *builder, addr: *addr, registry: *registryAddr, repo: root, pidFile: *pidFile}
	if err := env.findBuildkitd(*pidFile); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
	if err := run(context.Background(), *runs, *before, *out, *chart, env); err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(1)
	}
}

// overheadBaseline is the commit before the frontend's overhead was cut
// (issue #16): its frontend is built and timed beside this tree's.
const overheadBaseline = "708460d"

func run(ctx context.Context, runs int, before, out, chart string, env *environment) error {
	started := time.Now()
	if err := env.frontendImages(ctx); err != nil {
		return err
	}
	if err := env.buildFrontendBefore(ctx, before); err != nil {
		return err
	}
	res := &results{runs: runs, started: started}
	for run := range runs {
		for _, f := range functions {
			vs := f.variants()
			// Each run starts with another variant, so that none always
			// follows the same one.
			for i := range vs {
				v := vs[(i+run)%len(vs)]
				if err := env.sequence(ctx, f, v, run, res); err != nil {
					return err
				}
				// Each sequence leaves its cache, which the warm builds
				// through the other frontends reuse.
				if v == lambdaYAML || v == expert {
					if err := env.warmBuilds(ctx, f, v, res); err != nil {
						return err
					}
				}
			}
			log("%s done after %s", f.name, time.Since(started).Round(time.Second))
		}
	}
	var err error
	if res.frontendSizes, err = env.frontendSizes(); err != nil {
		return err
	}
	res.qemu = qemuVersion()
	res.duration = time.Since(started)
	if err := res.write(out, env); err != nil {
		return err
	}
	return res.chart(chart)
}

// sequence builds one variant of a function through its scenarios, each
// on the state the previous one left, from an empty builder.
func (env *environment) sequence(ctx context.Context, f function, v variant, run int, res *results) (err error) {
	dir, err := os.MkdirTemp("", "bench-"+f.name+"-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	if err := os.CopyFS(dir, os.DirFS(filepath.Join(env.repo, "bench", "functions", f.name))); err != nil {
		return fmt.Errorf("copying bench/functions/%s: %w", f.name, err)
	}
	if v.emulated() {
		if err := qemu(env.repo, "register"); err != nil {
			return err
		}
		// Unregistering restarts buildkitd, whose pid changes.
		defer func() {
			if uerr := qemu(env.repo, "unregister"); uerr != nil {
				err = cmp.Or(err, uerr)
				return
			}
			err = cmp.Or(err, env.findBuildkitd(env.pidFile))
		}()
	} else if err := noEmulator(); err != nil {
		return err
	}
	if err := env.prune(ctx); err != nil {
		return err
	}
	base, err := baseLayers(env.registry, f.base, v.arch())
	if err != nil {
		return err
	}
	cache := fmt.Sprintf("run%d", run)
	prev := map[string]*imageFacts{}
	for _, s := range scenariosOf(v) {
		in := invocation{f: f, v: v, dir: dir, tag: slug(string(s))}
		if s == registry {
			// What the previous builder leaves a CI runner: its cache in the
			// registry, exported after its last build, then nothing local.
			if _, err := env.build(ctx, invocation{f: f, v: v, dir: dir, tag: slug(string(depOnly)), cacheTo: cache}); err != nil {
				return err
			}
			if err := env.prune(ctx); err != nil {
				return err
			}
			in.cacheFrom = cache
		}
		if err := f.change(env.repo, dir, s, run); err != nil {
			return err
		}
		b, err := env.build(ctx, in)
		if err != nil {
			return err
		}
		var facts []imageFacts
		for _, repo := range env.images(f, v) {
			fs, err := inspectImage(repo+":"+in.tag, v.arch(), base, prev[repo])
			if err != nil {
				return err
			}
			prev[repo] = &fs
			facts = append(facts, fs)
		}
		b.Image = sumFacts(facts)
		res.add(f.name, v, s, b)
		log("%-11s %-19s %-29s %6.1fs  %d run, %d cached, %s new, buildkitd %s", f.name, v, s, b.Wall.Seconds(), b.Executed, b.Cached, bytesOf(float64(b.Image.New)), bytesOf(float64(b.PeakRSS)))
		if verbose {
			ran := make([]string, len(b.Ran))
			for i, step := range b.Ran {
				ran[i] = fmt.Sprintf("%s (%.1fs)", step.name, step.took.Seconds())
			}
			log("ran: %s", strings.Join(ran, "; "))
		}
	}
	return nil
}

// frontendImages builds this project's frontend image and the Dockerfile
// frontend of the same BuildKit release, and pushes both.
func (env *environment) frontendImages(ctx context.Context) error {
	env.frontend = env.registry + "/buildkit-lambda/frontend:bench"
	env.dockerfileFrontend = env.registry + "/bench/dockerfile-frontend:v0.33.1"
	for _, b := range []struct{ ref, file string }{
		{env.frontend, filepath.Join(env.repo, "Dockerfile")},
		{env.dockerfileFrontend, filepath.Join(env.repo, "bench", "dockerfile-frontend.Dockerfile")},
	} {
		if err := env.buildImage(ctx, b.ref, b.file, env.repo); err != nil {
			return err
		}
	}
	return nil
}

// buildImage builds the Dockerfile file in dir and pushes it as ref.
func (env *environment) buildImage(ctx context.Context, ref, file, dir string) error {
	log("building %s", ref)
	cmd := exec.CommandContext(ctx, "docker", "buildx", "build", "--builder", env.builder, "--provenance=false", "-f", file, "-t", ref, "--push", dir)
	if out, err := cmd.CombinedOutput(); err != nil {
		return fmt.Errorf("building %s: %w\n%s", ref, err, out)
	}
	return nil
}

// frontendSizes are the compressed sizes of the two frontend images.
func (env *environment) frontendSizes() (map[string]int64, error) {
	sizes := map[string]int64{}
	for _, ref := range []string{env.frontend, env.dockerfileFrontend} {
		_, layers, err := remoteLayers(ref, "amd64")
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

// verbose logs the steps each build ran.
var verbose bool

func log(format string, args ...any) {
	fmt.Fprintf(os.Stderr, "==> "+format+"\n", args...)
}
