package main

import (
	"bytes"
	"cmp"
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
	p("Written by `go run ./bench` (which `make bench` runs) on %s; the run took %s. How to read it, and why", r.started.UTC().Format("2006-01-02 15:04 UTC"), r.duration.Round(time.Second))
	p("the targets that are missed are missed: [README.md](README.md).")
	p("")
	p("- Machine: %s", machine())
	p("- Versions: %s; qemu-user-static %s", versions(env), r.qemu)
	p("- Every figure is the median of %d run(s), each variant's sequence starting from an empty builder", r.runs)
	p("  (`buildctl prune --all`; the base images stay in the loopback registry). With one run, a figure is")
	p("  one build: differences under about 15%% are within what repeated runs of the same build vary by here.")
	p("  The warm no-op ratio against the expert is the exception: the median of %d more warm builds of each", warmRepeats)
	p("  (see Frontend overhead), as one build of a few hundred ms is too short to compare alone.")
	p("- Every build is `docker buildx build --provenance=false --push` on the same buildkitd. The base images")
	p("  are the test stand-ins of hack/standins.sh (Debian with the Lambda layout), not AWS's.")
	p("")
	p("## Headline")
	p("")
	p("### lambda.yaml ÷ the expert Dockerfile, linux/amd64")
	p("")
	p("Ratio of wall times (below 1 is faster); ÷ the naive Dockerfile in brackets where it was built.")
	p("")
	p("| function | %s |", strings.Join(names(scenarios), " | "))
	p("| --- |%s", strings.Repeat(" --- |", len(scenarios)))
	for _, f := range functions {
		var cells []string
		for _, s := range scenarios {
			cell := fmt.Sprintf("%.2f×", r.scenarioRatio(f.name, s, lambdaYAML, expert))
			if r.has(f.name, naive, s) {
				cell += fmt.Sprintf(" (%.2f× naive)", r.ratio(f.name, s, lambdaYAML, naive))
			}
			cells = append(cells, cell)
		}
		p("| %s | %s |", f.name, strings.Join(cells, " | "))
	}
	p("")
	p("### linux/arm64 on this amd64 machine: lambda.yaml, no emulator, ÷ the expert Dockerfile under QEMU")
	p("")
	p("| function | cold | lambda.yaml, s | expert under QEMU, s | lambda.yaml amd64, s |")
	p("| --- | --- | --- | --- | --- |")
	for _, f := range functions {
		if !r.has(f.name, lambdaArm64, cold) {
			continue
		}
		p("| %s | %.2f× | %.1f | %.1f | %.1f |", f.name, r.ratio(f.name, cold, lambdaArm64, expertArm64),
			figure(r.builds[key{f.name, lambdaArm64, cold}], wallSeconds).median, figure(r.builds[key{f.name, expertArm64, cold}], wallSeconds).median,
			figure(r.builds[key{f.name, lambdaYAML, cold}], wallSeconds).median)
	}
	p("")
	for _, f := range functions {
		if f.bundled {
			r.writeTaskFiles(p, f)
		}
	}
	r.writeTargets(p)
	for _, f := range functions {
		r.writeFunction(p, f)
	}
	r.writeOverhead(p, env)
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// names are the names of a list of scenarios, variants or frontend runs.
func names[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// writeTaskFiles compares the files in /var/task, which a Node.js cold
// start reads its way through, after the dependency change.
func (r *results) writeTaskFiles(p func(string, ...any), f function) {
	p("### %s: files in /var/task", f.name)
	p("")
	p("| variant | files in /var/task | image over the base, compressed |")
	p("| --- | --- | --- |")
	for _, v := range []variant{lambdaYAML, bundled, expert, naive} {
		bs := r.builds[key{f.name, v, depOnly}]
		if len(bs) == 0 {
			bs = r.builds[key{f.name, v, codeOnly}]
		}
		p("| %s | %s | %s |", v, num(figure(bs, taskFiles).median), bytesOf(figure(bs, overBase).median))
	}
	p("")
}

func (r *results) writeFunction(p func(string, ...any), f function) {
	p("## %s", f.name)
	p("")
	p("The code change edits one line of `%s`; the dependency change %s. ÷ expert compares with the", f.code.file, f.depChange)
	p("expert Dockerfile built for the same architecture. buildkitd's memory is its peak resident set during the")
	p("build, sampled every 50 ms (the build's containers are processes of their own, not counted).")
	p("")
	p("| variant | scenario | wall time, s | ÷ expert | steps run / cached | new layers | image over base | files in /var/task | buildkitd memory |")
	p("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
	for _, v := range f.variants() {
		for _, s := range scenariosOf(v) {
			bs := r.builds[key{f.name, v, s}]
			w := figure(bs, wallSeconds)
			p("| %s | %s | %s | %.2f | %s / %s | %s | %s | %s | %s |", v, s, wallCell(w), r.ratio(f.name, s, v, v.reference()),
				num(figure(bs, executed).median), num(figure(bs, cachedSteps).median), bytesOf(figure(bs, newBytes).median),
				bytesOf(figure(bs, overBase).median), num(figure(bs, taskFiles).median), bytesOf(figure(bs, peakRSS).median))
		}
	}
	p("")
	var spent []string
	for _, s := range scenariosOf(lambdaYAML) {
		if bs := r.builds[key{f.name, lambdaYAML, s}]; len(bs) > 0 {
			spent = append(spent, fmt.Sprintf("%s %.1f s of %.1f s", s, figure(bs, preflightSeconds).median, figure(bs, wallSeconds).median))
		}
	}
	if len(spent) > 0 {
		p("lambda.yaml's preflight steps, added up (steps run side by side overlap): %s. The checks read", strings.Join(spent, "; "))
		p("the code layer, what an earlier step kept of the base image and a listing of the dependency layer;")
		p("a fresh builder pulls those from the registry cache when BuildKit exported the earlier steps' results,")
		p("and otherwise pulls the base image and the dependencies to make them again. The expert's build reads")
		p("nothing and leaves its layers in the registry.")
		p("")
	}
	p("What the images hold that Lambda does not need, after the last build of each variant:")
	p("")
	for _, v := range f.variants() {
		ss := scenariosOf(v)
		bs := r.builds[key{f.name, v, ss[len(ss)-1]}]
		extras := "nothing"
		if len(bs) > 0 && len(bs[len(bs)-1].Image.Extras) > 0 {
			extras = strings.Join(bs[len(bs)-1].Image.Extras, ", ")
		}
		p("- %s: %s", v, extras)
	}
	p("")
}

// wallCell is a median wall time, with its range when there are several
// runs.
func wallCell(w spread) string {
	if w.min == w.max {
		return fmt.Sprintf("%.1f", w.median)
	}
	return fmt.Sprintf("%.1f [%.1f–%.1f]", w.median, w.min, w.max)
}

func (r *results) writeOverhead(p func(string, ...any), env *environment) {
	p("## Frontend overhead")
	p("")
	p("From the solve's first vertex to the first step of the build's LLB, in ms, and the whole warm no-op")
	p("build's wall time, in s: medians of %d fully cached builds each, after one that fills the cache.", warmRepeats)
	p("The built-in Dockerfile frontend runs inside buildkitd; lambda.yaml's frontend, like")
	p("`# syntax=docker/dockerfile`, is an image that BuildKit starts in a container. BuildKit's Dockerfile")
	p("frontend v0.33.1 is built as such an image (bench/dockerfile-frontend.Dockerfile) and builds the expert")
	p("Dockerfile too. \"Frontend before\" is this frontend as commit %s had it, before the overhead work of", cmp.Or(env.beforeRev, "(none)"))
	p("issue #16, built from git and run on the same builds.")
	p("")
	p("For the monorepo, one docker buildx bake of its five services: five frontends at once.")
	p("")
	p("| function | %s |", strings.Join(names(frontendRuns), " | "))
	p("| --- |%s", strings.Repeat(" --- |", len(frontendRuns)))
	for _, f := range functions {
		var cells []string
		for _, run := range frontendRuns {
			bs := r.warm[f.name][run]
			if len(bs) == 0 {
				cells = append(cells, "not built")
				continue
			}
			cells = append(cells, fmt.Sprintf("%.0f ms, %.2f s", figure(bs, overheadMillis).median, figure(bs, wallSeconds).median))
		}
		p("| %s | %s |", f.name, strings.Join(cells, " | "))
	}
	p("")
	p("Frontend images, compressed: lambda.yaml's %s; the Dockerfile frontend's %s.", bytesOf(float64(r.frontendSizes[env.frontend])), bytesOf(float64(r.frontendSizes[env.dockerfileFrontend])))
	p("")
	p("### Where lambda.yaml's overhead goes, before and after")
	p("")
	p("When each point of the frontend's work is reached, in ms from the solve's first vertex (medians of")
	p("the warm builds above). Until its first request, BuildKit resolves the frontend image and starts its")
	p("container.")
	p("")
	p("| function | point | before | after | after ÷ before |")
	p("| --- | --- | --- | --- | --- |")
	for _, f := range functions {
		if len(f.services) > 0 {
			continue // five frontends at once: their points interleave
		}
		for _, m := range milestones {
			before, okB := milestoneMedian(r.warm[f.name][lambdaBefore], m)
			after, okA := milestoneMedian(r.warm[f.name][lambdaNow], m)
			if !okB && !okA {
				continue
			}
			ratio := "–"
			if okB && okA && before > 0 {
				ratio = fmt.Sprintf("%.2f×", after/before)
			}
			p("| %s | %s | %s | %s | %s |", f.name, m.name, millisCell(before, okB), millisCell(after, okA), ratio)
		}
	}
	p("")
	p("The frontend's vertexes in the last warm build through this tree's frontend, in ms from the solve's")
	p("first vertex: when each started and how long it took. Under each, the frontend's requests to")
	p("BuildKit in the same build until its first step, from the trace it writes with")
	p("`--build-arg BUILDKIT_LAMBDA_TRACE=1`. A `Solve` returns at once; the first read of its result waits")
	p("for the vertex, a transfer from the client for a local source, and every read mounts the result in")
	p("buildkitd. Requests at the same time run side by side.")
	p("")
	for _, f := range functions {
		bs := r.warm[f.name][lambdaNow]
		if len(bs) == 0 || len(f.services) > 0 {
			continue
		}
		b := bs[len(bs)-1]
		p("- %s: %s; the first step at %d.", f.name, timeline(b.Phases, env), b.Overhead.Milliseconds())
		if len(b.Requests) > 0 {
			p("  - requests: %s.", timeline(b.Requests, env))
		}
	}
	p("")
}

// timeline lists phases as "name at start (+length)", in ms.
func timeline(phases []phase, env *environment) string {
	parts := make([]string, len(phases))
	for i, ph := range phases {
		parts[i] = fmt.Sprintf("%s at %d (+%d)", phaseName(ph.Name, env), ph.Start.Milliseconds(), ph.Length.Milliseconds())
	}
	return strings.Join(parts, "; ")
}

// milestoneMedian is the median time of m over the builds that reached it.
func milestoneMedian(bs []build, m milestone) (float64, bool) {
	var xs []float64
	for _, b := range bs {
		if t, ok := m.at(b.solveFacts); ok {
			xs = append(xs, float64(t.Microseconds())/1000)
		}
	}
	return spreadOf(xs).median, len(xs) > 0
}

func millisCell(ms float64, ok bool) string {
	if !ok {
		return "–"
	}
	return fmt.Sprintf("%.0f", ms)
}

// phaseName shortens a vertex's name: the registry and digests say
// nothing here.
func phaseName(name string, env *environment) string {
	name = strings.ReplaceAll(name, env.frontend, "lambda.yaml's frontend")
	if env.frontendBefore != "" {
		name = strings.ReplaceAll(name, env.frontendBefore, "the frontend before")
	}
	name = strings.ReplaceAll(name, "docker-image://"+env.registry+"/", "")
	if i := strings.Index(name, "@sha256:"); i >= 0 {
		name = name[:i]
	}
	return "`" + name + "`"
}

func num(x float64) string {
	if x == float64(int64(x)) {
		return fmt.Sprintf("%d", int64(x))
	}
	return fmt.Sprintf("%.1f", x)
}

func bytesOf(x float64) string {
	switch {
	case x >= 1<<30:
		return fmt.Sprintf("%.2f GiB", x/(1<<30))
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
