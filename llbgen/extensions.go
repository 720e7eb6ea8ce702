package llbgen

import (
	"fmt"

	"github.com/moby/buildkit/client/llb"
)

// extensionDir is what an extension image holds for Lambda: the extension
// in /opt/extensions, and the libraries and files it carries.
const extensionDir = "/opt"

// extensionLayers makes a layer of each extension image's /opt, resolved
// for the target platform: the copy AWS documents for adding an extension
// to an image, with the extension's own platform, since it runs beside
// the function.
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
