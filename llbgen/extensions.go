package llbgen

import (
	"fmt"

	"github.com/moby/buildkit/client/llb"
)

// extensionDir is what an extension image holds for Lambda: the extension
// in /opt/extensions, and the libraries and files it carries.
const extensionDir = "/opt"

// extensionLayers makes a layer of each extension image's /opt: the copy
// AWS documents for adding an extension to an image. The image is resolved
// for the target platform, since the extension runs beside the function.
func (g *gen) extensionLayers() ([]llb.State, error) {
	var out []llb.State
	for _, ref := range g.s.Extensions {
		st, _, err := g.image(ref, g.target)
		if err != nil {
			return nil, fmt.Errorf("resolving extension %s: %w", ref, err)
		}
		layer := llb.Scratch().File(llb.Copy(st, extensionDir, extensionDir, &llb.CopyInfo{
			CopyDirContentsOnly: true, CreateDestPath: true,
		}), llb.WithCustomName(fmt.Sprintf("[%s] extension %s: %s", g.s.Runtime, ref, extensionDir)))
		out = append(out, layer)
	}
	return out, nil
}
