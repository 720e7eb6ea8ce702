package frontend

import (
	"fmt"
	"slices"
	"strings"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/moby/buildkit/client/llb"
	subtargets "github.com/moby/buildkit/frontend/subrequests/targets"
)

// target is a --target the frontend can build.
type target struct {
	name        string
	description string
	state       func(*llbgen.Result) llb.State
	// checked targets hold what Lambda runs: the preflight checks run on
	// the image's layers, which they are made of, before they are built.
	checked bool
	// image targets are the image itself, which buildx may push, and
	// tested ones also run lambda.yaml's tests on it.
	image, tested bool
	// unavailable says why a function has no such output, when state
	// returns the zero State.
	unavailable string
}

// targets are the --target values, the default first.
var targets = []target{
	{name: "image", description: "the Lambda image, once lambda.yaml's tests pass on it", state: func(r *llbgen.Result) llb.State { return r.Image }, checked: true, image: true, tested: true},
	{name: "image-untested", description: "the Lambda image, without running lambda.yaml's tests", state: func(r *llbgen.Result) llb.State { return r.Image }, checked: true, image: true},
	{name: "zip", description: "the .zip deployment package, " + llbgen.FunctionZip + " (-o type=local,dest=DIR)",
		state: func(r *llbgen.Result) llb.State { return r.Zip }, checked: true,
		unavailable: "--target zip runs the frontend's own zip writer, and this frontend was not started from its image"},
	{name: "layer", description: "the production dependencies as a Lambda layer, " + llbgen.LayerZip + " (-o type=local,dest=DIR)",
		state: func(r *llbgen.Result) llb.State { return r.Layer }, checked: true,
		unavailable: "--target layer needs dependencies in a runtime that loads them from a layer (Node.js, Python, Java), and this function has none"},
	{name: "build", description: "the compile stage's output alone: the task root's code, or the bootstrap binary", state: func(r *llbgen.Result) llb.State { return r.Build }},
	{name: "deps", description: "the production dependency tree alone", state: func(r *llbgen.Result) llb.State { return r.Deps }},
}

// listTargets answers --call targets.
func listTargets() *subtargets.List {
	list := &subtargets.List{}
	for i, t := range targets {
		list.Targets = append(list.Targets, subtargets.Target{Name: t.name, Description: t.description, Default: i == 0})
	}
	return list
}

func selectTarget(name string) (target, error) {
	if name == "" {
		return targets[0], nil
	}
	i := slices.IndexFunc(targets, func(t target) bool { return t.name == name })
	if i < 0 {
		names := make([]string, len(targets))
		for j, t := range targets {
			names[j] = t.name
		}
		return target{}, fmt.Errorf("unknown --target %q; lambda.yaml builds %s%s", name, strings.Join(names, ", "), lambdafile.DidYouMean(name, names))
	}
	return targets[i], nil
}
