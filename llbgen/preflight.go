package llbgen

import (
	"fmt"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
)

// preflight runs `frontend preflight` from the frontend's own image on the
// finished image, mounted read-only, so that an image Lambda would fail is
// a failed build instead. It runs on the build platform, where the
// frontend binary runs, and adds nothing to the image.
func (g *gen) preflight(image llb.State) llb.State {
	if g.opt.Preflight == nil {
		return llb.State{}
	}
	opts := []llb.RunOption{
		llb.Args([]string{"/bin/frontend", "preflight", "--runtime", string(g.s.Runtime), "--handler", g.s.Handler,
			"--arch", g.target.Architecture, "/image"}),
		llb.AddMount("/image", image, llb.Readonly),
		llb.Network(pb.NetMode_NONE),
		llb.WithCustomName(fmt.Sprintf("[%s] preflight checks: handler, bootstrap, native code, permissions, size", g.s.Runtime)),
	}
	opts = append(opts, g.location("handler")...)
	return g.opt.Preflight.Platform(g.opt.BuildPlatform).Run(opts...).Root()
}
