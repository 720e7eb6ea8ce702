package llbgen

import (
	"fmt"
	"path"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
)

// extensionDir is what an extension holds for Lambda: the extension in
// /opt/extensions, and the libraries and files it carries.
const extensionDir = "/opt"

// extensionLayers makes a layer of each extension: an image's /opt, the
// copy AWS documents for adding an extension to an image, or a layer's
// .zip from the build context unpacked into /opt, as Lambda unpacks it.
// An image is resolved for the target platform, since the extension runs
// beside the function.
func (g *gen) extensionLayers() ([]llb.State, error) {
	var out []llb.State
	for i, ext := range g.s.Extensions {
		if lambdafile.IsExtensionZip(ext) {
			layer, err := g.extensionZip(fmt.Sprintf("extensions[%d]", i), ext)
			if err != nil {
				return nil, err
			}
			out = append(out, layer)
			continue
		}
		st, _, err := g.image(ext, g.target)
		if err != nil {
			return nil, fmt.Errorf("resolving extension %s: %w", ext, err)
		}
		layer := llb.Scratch().File(llb.Copy(st, extensionDir, extensionDir, &llb.CopyInfo{
			CopyDirContentsOnly: true, CreateDestPath: true,
		}), g.stepName(fmt.Sprintf("extension %s: %s", ext, extensionDir)))
		out = append(out, layer)
	}
	return out, nil
}

// extensionZip unpacks a .zip of the build context into /opt with the
// frontend's own binary, so that no image needs unzip. The .zip is copied
// out of the context alone first, so that the step reruns only when it
// changes.
func (g *gen) extensionZip(at, file string) (llb.State, error) {
	if g.opt.Preflight == nil {
		return llb.State{}, &ContextError{Path: at, Msg: "a .zip extension is unpacked by the frontend's image, which this build does not have; build through BuildKit's gateway"}
	}
	const in, out = "/in/extension.zip", "/out"
	src := llb.Scratch().File(llb.Copy(g.opt.Context, "/"+file, "/"+path.Base(in)), append(g.locationOpts(at),
		g.stepName(fmt.Sprintf("extension %s", file)))...)
	opts := append([]llb.RunOption{
		llb.Args([]string{"/bin/frontend", "unzip", "--into", path.Join(out, extensionDir), in}),
		llb.AddMount(path.Dir(in), src, llb.Readonly),
		llb.Network(pb.NetMode_NONE),
		g.stepName(fmt.Sprintf("extension %s: unzip into %s", file, extensionDir)),
	}, g.location(at)...)
	return g.opt.Preflight.Platform(g.opt.BuildPlatform).Run(opts...).AddMount(out, llb.Scratch()), nil
}
