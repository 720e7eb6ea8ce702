package frontend

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/subrequests/outline"
	"github.com/moby/buildkit/solver/pb"
)

// buildOutline answers --call outline: what a build of the target takes
// from the command line (build args, secrets, SSH) and the cache mounts it
// uses, each with the lambda.yaml line that declares it.
func buildOutline(t target, s *lambdafile.File, src *dockerui.Source, res *llbgen.Result, deps llbgen.Dependencies) *outline.Outline {
	// Locations index Sources, which holds lambda.yaml alone.
	o := &outline.Outline{Name: t.name, Description: t.description + "; " + describeDependencies(deps), Sources: [][]byte{src.Data}}
	at := func(path string) *pb.Location {
		pos := s.Pos(path)
		if pos.Line == 0 {
			return nil
		}
		return &pb.Location{SourceIndex: 0, Ranges: []*pb.Range{rangeOf(pos)}}
	}
	for _, name := range slices.Sorted(maps.Keys(s.Args)) {
		o.Args = append(o.Args, outline.Arg{Name: name, Value: s.Args[name], Location: at("args." + name)})
	}
	for i, sec := range s.Secrets {
		o.Secrets = append(o.Secrets, outline.Secret{Name: sec.ID, Required: sec.Required, Location: at(fmt.Sprintf("secrets[%d]", i))})
	}
	for i, id := range s.SSH {
		loc := at(fmt.Sprintf("ssh[%d]", i))
		if loc == nil { // ssh: true
			loc = at("ssh")
		}
		o.SSH = append(o.SSH, outline.SSH{Name: id, Required: true, Location: loc})
	}
	for _, c := range res.Caches {
		o.Cache = append(o.Cache, outline.CacheMount{ID: c.ID, Location: at("runtime")})
	}
	return o
}

// describeDependencies says which package manager installs the
// dependencies, at which version, from which file.
func describeDependencies(d llbgen.Dependencies) string {
	if d.Manager == "" {
		return "no dependencies"
	}
	desc := "dependencies: " + d.Manager
	if d.Version != "" {
		desc += " " + d.Version
	}
	desc += " from " + d.Lockfile
	if !d.Locked {
		desc += " (not locked)"
	}
	return desc
}

// generateOffline generates LLB without resolving images, for subrequests
// that need to know the steps but run none of them.
func generateOffline(ctx context.Context, s *lambdafile.File, opt llbgen.Options) (*llbgen.Result, error) {
	opt.Images = llbgen.UnresolvedImages{}
	return llbgen.Generate(ctx, s, opt)
}
