package llbgen

import (
	"fmt"

	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
)

// Lambda refuses an image whose manifest is over 25,400 bytes. A manifest
// grows with its layers; these are generous sizes of the fixed part and of
// one layer's descriptor as BuildKit writes them.
const (
	maxManifestBytes    = 25400
	manifestFixedBytes  = 600
	manifestLayerBytes  = 220
	frontendAddedLayers = 2
)

// checkManifestSize fails early when the base image has so many layers that
// the image's manifest would be over Lambda's limit.
func checkManifestSize(base *dockerspec.DockerOCIImage) error {
	if base == nil {
		return nil
	}
	layers := len(base.RootFS.DiffIDs) + frontendAddedLayers
	if size := manifestFixedBytes + layers*manifestLayerBytes; size > maxManifestBytes {
		return &ContextError{Path: "base", Msg: fmt.Sprintf(
			"the base image has %d layers, so the image's manifest would be about %d bytes, over the %d Lambda accepts; squash the base image",
			len(base.RootFS.DiffIDs), size, maxManifestBytes)}
	}
	return nil
}
