package main

import (
	"fmt"
	"slices"
	"strings"
)

// installSteps are the names of dependency installs in all three variants.
var installSteps = []string{"npm ci", "npm install", "pip install", "go mod download"}

// writeTargets reports each target of the benchmark as met or missed, and
// by how much.
func (r *results) writeTargets(p func(string, ...any)) {
	p("## Targets")
	p("")
	p("| target | measured | met |")
	p("| --- | --- | --- |")
	row := func(target, measured string, met bool) {
		p("| %s | %s | %s |", target, measured, map[bool]string{true: "yes", false: "**no**"}[met])
	}
	code := func(v variant) float64 { return r.ratio("nodejs", codeOnly, lambdaYAML, v) }
	row("Node code-only rebuild ≤ 1.0× expert", fmt.Sprintf("%.2f×", code(expert)), code(expert) <= 1.0)
	row("Node code-only rebuild ≤ 0.25× naive", fmt.Sprintf("%.2f×", code(naive)), code(naive) <= 0.25)
	for _, e := range examples {
		bs := r.builds[key{e.name, lambdaYAML, codeOnly}]
		var installs []string
		layersOK := true
		var worst float64
		for _, b := range bs {
			for _, name := range b.Ran {
				if slices.ContainsFunc(installSteps, func(s string) bool { return strings.Contains(name, s) }) && !slices.Contains(installs, name) {
					installs = append(installs, name)
				}
			}
			over := float64(b.Image.New)/float64(max(b.Image.NewFiles, 1)) - 1
			worst = max(worst, over)
			layersOK = layersOK && b.Image.NewLayers == 1 && over <= 0.10
		}
		ran := "none ran"
		if len(installs) > 0 {
			ran = "ran: " + strings.Join(installs, ", ")
		}
		row(fmt.Sprintf("%s code-only change: no dependency install", e.name), ran, len(installs) == 0)
		row(fmt.Sprintf("%s code-only change: one new layer, within 10%% of the code's size", e.name),
			fmt.Sprintf("%s new layers, %s for %s of files (worst run %+.0f%%)", num(figure(bs, func(b build) float64 { return float64(b.Image.NewLayers) }).median),
				bytesOf(figure(bs, newBytes).median), bytesOf(figure(bs, func(b build) float64 { return float64(b.Image.NewFiles) }).median), worst*100), layersOK)
	}
	for _, e := range examples {
		l := figure(r.builds[key{e.name, lambdaYAML, depOnly}], overBase).median
		x := figure(r.builds[key{e.name, expert, depOnly}], overBase).median
		n := figure(r.builds[key{e.name, naive, depOnly}], overBase).median
		row(fmt.Sprintf("%s image size over base ≤ expert, under naive", e.name),
			fmt.Sprintf("%s: %+.1f%% of expert's %s; %.2f× naive's %s", bytesOf(l), (l/x-1)*100, bytesOf(x), l/n, bytesOf(n)), l <= x && l < n)
	}
	for _, e := range examples {
		c := r.ratio(e.name, cold, lambdaYAML, expert)
		row(fmt.Sprintf("%s cold build ≤ 1.05× expert", e.name), fmt.Sprintf("%.2f×", c), c <= 1.05)
	}
	for _, e := range examples {
		o := figure(r.builds[key{e.name, lambdaYAML, warm}], overheadMillis).median
		row(fmt.Sprintf("%s frontend overhead < 100 ms median", e.name), fmt.Sprintf("%.0f ms", o), o < 100)
	}
	p("")
}
