package llbgen

import (
	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/containerd/platforms"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// argValues are the build arguments a build sees: the declared ones, with
// their --build-arg value or default, and the predefined platform ones,
// whose values the build sets even when they are declared.
func argValues(s *lambdafile.File, opt Options, target ocispecs.Platform) map[string]string {
	vals := s.ArgValues(opt.BuildArgs)
	for prefix, p := range map[string]ocispecs.Platform{"TARGET": target, "BUILD": opt.BuildPlatform} {
		vals[prefix+"PLATFORM"] = platforms.Format(p)
		vals[prefix+"OS"] = p.OS
		vals[prefix+"ARCH"] = p.Architecture
		vals[prefix+"VARIANT"] = p.Variant
	}
	return vals
}

// expand replaces ${NAME} in the values of env with build arguments.
// Validation made sure every name is known.
func (g *gen) expand(env map[string]string) map[string]string {
	out := make(map[string]string, len(env))
	for k, v := range env {
		out[k], _ = lambdafile.Expand(v, func(name string) (string, bool) {
			val, ok := g.args[name]
			return val, ok
		})
	}
	return out
}
