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
	p("Written by `go run ./bench` (which `make bench` runs) on %s; the run took %s. How to read it, and why", r.started.UTC().Format("2006-01-02 15:04 UTC"), r.duration.Round(time.Second))
	p("the targets that are missed are missed: [README.md](README.md).")
	p("")
	p("- Machine: %s", machine())
	p("- Versions: %s; qemu-user-static %s", versions(env), r.qemu)
	p("- Every figure is the median of %d run(s), each variant's sequence starting from an empty builder", r.runs)
	p("  (`buildctl prune --all`; the base images stay in the loopback registry). With one run, a figure is")
	p("  one build: differences under about 15%% are within what repeated runs of the same build vary by here.")
	p("- Every build is `docker buildx build --provenance=false --push` on the same buildkitd. The base images")
	p("  are the test stand-ins of hack/standins.sh (Debian with the Lambda layout), not AWS's.")
	p("")
	p("## Headline")
	p("")
	p("### lambda.yaml ÷ the expert Dockerfile, linux/amd64")
	p("")
	p("Ratio of wall times (below 1 is faster); ÷ the naive Dockerfile in brackets where it was built.")
	p("")
	p("| function | %s |", joinScenarios(scenarios))
	p("| --- |%s", strings.Repeat(" --- |", len(scenarios)))
	for _, f := range functions {
		var cells []string
		for _, s := range scenarios {
			cell := fmt.Sprintf("%.2f×", r.ratio(f.name, s, lambdaYAML, expert))
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

func joinScenarios(ss []scenario) string {
	names := make([]string, len(ss))
	for i, s := range ss {
		names[i] = string(s)
	}
	return strings.Join(names, " | ")
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
	p("From the solve's first vertex to the first step of the build's LLB, in warm no-op builds (ms). The")
	p("built-in Dockerfile frontend runs inside buildkitd; lambda.yaml's frontend, like `# syntax=docker/dockerfile`,")
	p("is an image that BuildKit starts in a container. The last column is BuildKit's Dockerfile frontend")
	p("v0.33.1 built as such an image (bench/dockerfile-frontend.Dockerfile), on the expert Dockerfile.")
	p("")
	p("| function | lambda.yaml | expert, built-in frontend | expert, Dockerfile frontend image |")
	p("| --- | --- | --- | --- |")
	for _, f := range functions {
		l := figure(r.builds[key{f.name, lambdaYAML, warm}], overheadMillis)
		x := figure(r.builds[key{f.name, expert, warm}], overheadMillis)
		i := figure(r.imageFrontend[f.name], overheadMillis)
		p("| %s | %.0f | %.0f | %.0f |", f.name, l.median, x.median, i.median)
	}
	p("")
	p("Frontend images, compressed: lambda.yaml's %s; the Dockerfile frontend's %s.", bytesOf(float64(r.frontendSizes[env.frontend])), bytesOf(float64(r.frontendSizes[env.dockerfileFrontend])))
	p("")
	p("### Where lambda.yaml's overhead goes")
	p("")
	p("The frontend's vertexes in the warm no-op build, in ms from the solve's first vertex: when each")
	p("started and how long it took. The time between them is the frontend's container starting and its")
	p("own work between requests.")
	p("")
	for _, f := range functions {
		bs := r.builds[key{f.name, lambdaYAML, warm}]
		if len(bs) == 0 {
			continue
		}
		b := bs[len(bs)-1]
		var parts []string
		for _, ph := range b.Phases {
			parts = append(parts, fmt.Sprintf("%s at %d (+%d)", phaseName(ph.Name, env), ph.Start.Milliseconds(), ph.Length.Milliseconds()))
		}
		p("- %s: %s; the first step at %d.", f.name, strings.Join(parts, "; "), b.Overhead.Milliseconds())
	}
	p("")
}

// phaseName shortens a vertex's name: the registry and digests say
// nothing here.
func phaseName(name string, env *environment) string {
	name = strings.ReplaceAll(name, env.frontend, "lambda.yaml's frontend")
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
