package main

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// write writes the results file.
func (r *results) write(path string, env *environment) error {
	var b bytes.Buffer
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	p("# Benchmark results")
	p("")
	p("Written by `make bench` on %s; the run took %s. How to read it, and why", r.started.UTC().Format("2006-01-02 15:04 UTC"), r.duration.Round(time.Second))
	p("the targets that are missed are missed: [README.md](README.md).")
	p("")
	p("- Machine: %s", machine())
	p("- Versions: %s", versions(env))
	p("- Every figure is the median of %d runs, with the range in brackets; cold builds, of %d runs. Each run", r.runs, r.coldRuns)
	p("  builds every example with each variant: the cold build (the first %d runs, from an empty builder:", r.coldRuns)
	p("  `buildctl prune --all`; the base images stay in the loopback registry), then the warm no-op rebuild,")
	p("  the code-only change and the dependency change in turn. Runs without a cold build start from the")
	p("  previous run's cache. The variants take turns going first. Every build is")
	p("  `docker buildx build --platform linux/amd64 --push` on the same buildkitd.")
	p("- Base images are the test stand-ins of hack/standins.sh (Debian with the Lambda layout), not AWS's.")
	p("")
	p("## Headline: lambda.yaml against the expert Dockerfile")
	p("")
	p("Ratio of median wall times, lambda.yaml ÷ expert (below 1 is faster), and ÷ naive.")
	p("")
	p("| example | cold | warm no-op | code change | dependency change |")
	p("| --- | --- | --- | --- | --- |")
	for _, e := range examples {
		var cells []string
		for _, s := range scenarios {
			cells = append(cells, fmt.Sprintf("%.2f× (%.2f× naive)", r.ratio(e.name, s, lambdaYAML, expert), r.ratio(e.name, s, lambdaYAML, naive)))
		}
		p("| %s | %s |", e.name, strings.Join(cells, " | "))
	}
	p("")
	r.writeTargets(p)
	for _, e := range examples {
		r.writeExample(p, e)
	}
	r.writeOverhead(p, env)
	return os.WriteFile(path, b.Bytes(), 0o644)
}

func (r *results) writeExample(p func(string, ...any), e example) {
	p("## %s", e.name)
	p("")
	p("The code change edits one line of `%s`; the dependency change %s.", e.code.file, e.depChange)
	p("")
	p("| scenario | variant | wall time, s | ÷ expert | ÷ naive | steps run / cached | new layers, bytes |")
	p("| --- | --- | --- | --- | --- | --- | --- |")
	for _, s := range scenarios {
		for _, v := range variants {
			bs := r.builds[key{e.name, v, s}]
			w := figure(bs, wallSeconds)
			p("| %s | %s | %.1f [%.1f–%.1f] | %.2f | %.2f | %s / %s | %s |", s, v, w.median, w.min, w.max,
				r.ratio(e.name, s, v, expert), r.ratio(e.name, s, v, naive),
				num(figure(bs, executed).median), num(figure(bs, cachedSteps).median), bytesOf(figure(bs, newBytes).median))
		}
	}
	p("")
	p("The image after the dependency change:")
	p("")
	p("| variant | size over the base (compressed) | layers | what it holds that Lambda does not need |")
	p("| --- | --- | --- | --- |")
	for _, v := range variants {
		bs := r.builds[key{e.name, v, depOnly}]
		extras := "nothing"
		if len(bs) > 0 && len(bs[len(bs)-1].Image.Extras) > 0 {
			extras = strings.Join(bs[len(bs)-1].Image.Extras, ", ")
		}
		p("| %s | %s | %s | %s |", v, bytesOf(figure(bs, overBase).median), num(figure(bs, layerCount).median), extras)
	}
	p("")
}

func (r *results) writeOverhead(p func(string, ...any), env *environment) {
	p("## Frontend overhead")
	p("")
	p("From the solve's first vertex to the first step of the build's LLB, in warm no-op builds (ms). The")
	p("built-in Dockerfile frontend runs inside buildkitd; lambda.yaml's frontend, like `# syntax=docker/dockerfile`,")
	p("is an image that BuildKit starts in a container. The third column is BuildKit's Dockerfile frontend")
	p("v0.33.1 built as such an image (bench/dockerfile-frontend.Dockerfile), on the expert Dockerfile.")
	p("")
	p("| example | lambda.yaml | expert, built-in frontend | expert, Dockerfile frontend image |")
	p("| --- | --- | --- | --- |")
	for _, e := range examples {
		l := figure(r.builds[key{e.name, lambdaYAML, warm}], overheadMillis)
		x := figure(r.builds[key{e.name, expert, warm}], overheadMillis)
		i := figure(r.imageFrontend[e.name], overheadMillis)
		p("| %s | %.0f [%.0f–%.0f] | %.0f [%.0f–%.0f] | %.0f [%.0f–%.0f] |", e.name, l.median, l.min, l.max, x.median, x.min, x.max, i.median, i.min, i.max)
	}
	p("")
	p("Frontend images, compressed: lambda.yaml's %s; the Dockerfile frontend's %s.", bytesOf(float64(r.frontendSizes[env.frontend])), bytesOf(float64(r.frontendSizes[env.dockerfileFrontend])))
	p("")
}

func num(x float64) string {
	if x == float64(int64(x)) {
		return fmt.Sprintf("%d", int64(x))
	}
	return fmt.Sprintf("%.1f", x)
}

func bytesOf(x float64) string {
	switch {
	case x >= 1<<20:
		return fmt.Sprintf("%.1f MiB", x/(1<<20))
	case x >= 1<<10:
		return fmt.Sprintf("%.1f KiB", x/(1<<10))
	}
	return fmt.Sprintf("%.0f B", x)
}

// machine describes the machine from /proc.
func machine() string {
	cpu := "unknown CPU"
	if dt, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(dt), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				cpu = strings.TrimSpace(v)
				break
			}
		}
	}
	mem := ""
	if dt, err := os.ReadFile("/proc/meminfo"); err == nil {
		var kb int64
		fmt.Sscanf(strings.TrimPrefix(strings.SplitN(string(dt), "\n", 2)[0], "MemTotal:"), "%d", &kb)
		mem = fmt.Sprintf(", %.0f GiB", float64(kb)/(1<<20))
	}
	kernel, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	return fmt.Sprintf("%d × %s%s, Linux %s", runtime.NumCPU(), cpu, mem, strings.TrimSpace(string(kernel)))
}

// versions are the tools' own accounts of their versions.
func versions(env *environment) string {
	bk, _ := exec.Command("buildctl", "--addr", env.addr, "debug", "info").Output()
	bx, _ := exec.Command("docker", "buildx", "version").Output()
	first := func(b []byte) string { return strings.TrimSpace(strings.SplitN(string(b), "\n", 2)[0]) }
	return fmt.Sprintf("buildkitd `%s`, `%s`, %s", strings.Join(strings.Fields(first(bk)), " "), first(bx), runtime.Version())
}
