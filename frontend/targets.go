package frontend

import (
	"fmt"
	"slices"
	"strings"

	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/moby/buildkit/client/llb"
	subtargets "github.com/moby/buildkit/frontend/subrequests/targets"
)

// target is a --target the frontend can build.
type target struct {
	name        string
	description string
	state       func(*llbgen.Result) llb.State
}

// targets are the --target values, the default first.
var targets = []target{
	{"image", "the Lambda image", func(r *llbgen.Result) llb.State { return r.Image }},
	{"build", "the compile stage's output alone: the task root's code, or the bootstrap binary", func(r *llbgen.Result) llb.State { return r.Build }},
	{"deps", "the production dependency tree alone", func(r *llbgen.Result) llb.State { return r.Deps }},
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
		return target{}, fmt.Errorf("unknown --target %q; lambda.yaml builds %s", name, strings.Join(names, ", "))
	}
	return targets[i], nil
}
