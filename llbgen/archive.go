package llbgen

import (
	"path"
	"strconv"

	"github.com/buildkit-lambda/buildkit-lambda/runtimes"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
)

// The .zip outputs, in the output directory of --target zip and --target
// layer.
const (
	FunctionZip = "function.zip"
	LayerZip    = "layer.zip"
)

// archives writes the image's layers as Lambda's other deployment form:
// function.zip holds the task root as Lambda unzips it (the dependencies
// and the code, and a built bootstrap at the root), and layer.zip holds the
// dependencies under the runtime's layer directory. They are made from the
// same layers as the image, so they are built where the image is, for the
// target's architecture, and written by `frontend zip` from the frontend's
// own image, so that no image needs a zip tool. With package.layer the
// function's zip leaves the dependencies to the layer. A zero State is a
// zip the function cannot have: no frontend image to write it, or no
// dependencies for a layer.
func (g *gen) archives(l *layers) (function, layer llb.State) {
	if g.opt.Preflight == nil {
		return llb.State{}, llb.State{}
	}
	hasDeps := l.deps.Output() != nil
	layered, canLayer := g.s.Runtime.Family().(runtimes.Layered)
	deps, code := path.Join(layersDir, "deps"), path.Join(layersDir, "code")
	var sources []string
	switch {
	case hasDeps && !g.s.Package.Layer:
		sources = append(sources, deps+taskRoot+"=.")
	case hasDeps && canLayer:
		for _, f := range layered.CodeFiles() {
			sources = append(sources, path.Join(deps, taskRoot, f)+"="+f)
		}
	}
	sources = append(sources, code+taskRoot+"=.", code+runtimeDir+"/bootstrap=bootstrap")
	function = g.zip(FunctionZip, l, sources)
	if canLayer && hasDeps {
		layer = g.zip(LayerZip, l, []string{path.Join(deps+taskRoot, layered.LayerSource()) + "=" + layered.LayerDir()})
	}
	return function, layer
}

// zip runs `frontend zip` on the added layers, mounted as preflight mounts
// them, and returns the directory that holds the archive.
func (g *gen) zip(name string, l *layers, sources []string) llb.State {
	const out = "/out"
	args := []string{"/bin/frontend", "zip", "--out", out + "/" + name}
	if g.opt.Epoch != nil {
		args = append(args, "--epoch", strconv.FormatInt(g.opt.Epoch.Unix(), 10))
	}
	_, mounts := g.mountAddedLayers(l)
	opts := append([]llb.RunOption{
		llb.Args(append(args, sources...)),
		llb.Network(pb.NetMode_NONE),
		g.stepName(name),
	}, mounts...)
	tool := g.opt.Preflight.Platform(g.opt.BuildPlatform)
	return tool.Run(opts...).AddMount(out, llb.Scratch())
}
