package main

import (
	"slices"
	"time"
)

// key names the builds of one function, variant and scenario.
type key struct {
	function string
	variant  variant
	scenario
}

// results collects every build of a benchmark run.
type results struct {
	runs     int
	started  time.Time
	duration time.Duration
	builds   map[key][]build
	// warm holds each function's repeated warm no-op builds through each
	// frontend.
	warm          map[string]map[frontendRun][]build
	frontendSizes map[string]int64
	// qemu is the version of the emulator the arm64 baseline ran under.
	qemu string
}

func (r *results) add(function string, v variant, s scenario, b build) {
	if r.builds == nil {
		r.builds = map[key][]build{}
	}
	k := key{function, v, s}
	r.builds[k] = append(r.builds[k], b)
}

func (r *results) addWarm(function string, run frontendRun, b build) {
	if r.warm == nil {
		r.warm = map[string]map[frontendRun][]build{}
	}
	if r.warm[function] == nil {
		r.warm[function] = map[frontendRun][]build{}
	}
	r.warm[function][run] = append(r.warm[function][run], b)
}

// spread is the median and range of a figure over the runs.
type spread struct {
	median, min, max float64
}

func spreadOf(xs []float64) spread {
	if len(xs) == 0 {
		return spread{}
	}
	s := slices.Sorted(slices.Values(xs))
	mid := len(s) / 2
	m := s[mid]
	if len(s)%2 == 0 {
		m = (s[mid-1] + s[mid]) / 2
	}
	return spread{median: m, min: s[0], max: s[len(s)-1]}
}

// figure maps the builds to one number each.
func figure(bs []build, f func(build) float64) spread {
	xs := make([]float64, len(bs))
	for i, b := range bs {
		xs[i] = f(b)
	}
	return spreadOf(xs)
}

func wallSeconds(b build) float64      { return b.Wall.Seconds() }
func overheadMillis(b build) float64   { return float64(b.Overhead.Microseconds()) / 1000 }
func executed(b build) float64         { return float64(b.Executed) }
func cachedSteps(b build) float64      { return float64(b.Cached) }
func newBytes(b build) float64         { return float64(b.Image.New) }
func overBase(b build) float64         { return float64(b.Image.OverBase) }
func peakRSS(b build) float64          { return float64(b.PeakRSS) }
func taskFiles(b build) float64        { return float64(b.Image.TaskFiles) }
func preflightSeconds(b build) float64 { return b.Preflight.Seconds() }

// ratio is the ratio of two variants' median wall times in a scenario, 0
// when either was not built.
func (r *results) ratio(function string, s scenario, num, den variant) float64 {
	n := figure(r.builds[key{function, num, s}], wallSeconds).median
	d := figure(r.builds[key{function, den, s}], wallSeconds).median
	if d == 0 {
		return 0
	}
	return n / d
}

// scenarioRatio is ratio, but for a warm no-op against the expert it is
// the ratio of the medians of the repeated warm builds when there are
// some: one warm build is too short to compare alone.
func (r *results) scenarioRatio(function string, s scenario, num, den variant) float64 {
	if s == warm && num == lambdaYAML && den == expert {
		if x := r.warmRatio(function, lambdaNow, expertBuiltIn); x != 0 {
			return x
		}
	}
	return r.ratio(function, s, num, den)
}

// warmRatio is the ratio of two frontends' median warm no-op wall times, 0
// when either was not built.
func (r *results) warmRatio(function string, num, den frontendRun) float64 {
	n := figure(r.warm[function][num], wallSeconds).median
	d := figure(r.warm[function][den], wallSeconds).median
	if d == 0 {
		return 0
	}
	return n / d
}

// has says whether a variant was built in a scenario.
func (r *results) has(function string, v variant, s scenario) bool {
	return len(r.builds[key{function, v, s}]) > 0
}

// reference is the variant v is compared with: the expert Dockerfile for
// the same architecture.
func (v variant) reference() variant {
	if v.arch() == "arm64" {
		return expertArm64
	}
	return expert
}
