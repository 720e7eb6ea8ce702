package main

import (
	"fmt"
	"slices"
	"strings"
)

// installSteps are the names of dependency installs in every variant.
var installSteps = []string{"npm ci", "npm install", "pip install", "go mod download", "dependency:copy-dependencies"}

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
	for _, f := range functions {
		bs := r.builds[key{f.name, lambdaYAML, codeOnly}]
		var installs []string
		layersOK := true
		var worst float64
		for _, b := range bs {
			for _, step := range b.Ran {
				if slices.ContainsFunc(installSteps, func(s string) bool { return strings.Contains(step.name, s) }) && !slices.Contains(installs, step.name) {
					installs = append(installs, step.name)
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
		row(fmt.Sprintf("%s code change: no dependency install", f.name), ran, len(installs) == 0)
		row(fmt.Sprintf("%s code change: one new layer, within 10%% of the code's size", f.name),
			fmt.Sprintf("%s new layers, %s for %s of files (worst run %+.0f%%)", num(figure(bs, func(b build) float64 { return float64(b.Image.NewLayers) }).median),
				bytesOf(figure(bs, newBytes).median), bytesOf(figure(bs, func(b build) float64 { return float64(b.Image.NewFiles) }).median), worst*100), layersOK)
	}
	for _, f := range functions {
		l := figure(r.builds[key{f.name, lambdaYAML, depOnly}], overBase).median
		x := figure(r.builds[key{f.name, expert, depOnly}], overBase).median
		row(fmt.Sprintf("%s image over base ≤ expert's", f.name), fmt.Sprintf("%s: %+.1f%% of expert's %s", bytesOf(l), (l/x-1)*100, bytesOf(x)), l <= x)
	}
	for _, f := range functions {
		c := r.ratio(f.name, cold, lambdaYAML, expert)
		row(fmt.Sprintf("%s cold build ≤ 1.05× expert", f.name), fmt.Sprintf("%.2f×", c), c <= 1.05)
	}
	for _, f := range functions {
		w := r.scenarioRatio(f.name, warm, lambdaYAML, expert)
		row(fmt.Sprintf("%s warm no-op ≤ 1.2× expert", f.name), fmt.Sprintf("%.2f×", w), w <= 1.2)
	}
	for _, f := range functions {
		o := figure(r.warm[f.name][lambdaNow], overheadMillis).median
		row(fmt.Sprintf("%s frontend overhead < 100 ms", f.name), fmt.Sprintf("%.0f ms", o), o < 100)
	}
	p("")
}
