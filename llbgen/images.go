package llbgen

import (
	"context"
	"slices"
	"strings"

	"github.com/buildkit-lambda/buildkit-lambda/runtimes"
	"github.com/moby/buildkit/client/llb"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// fallbackConfig is the documented config of the images Generate uses by
// default, for when ImageResolver cannot resolve one (the offline `frontend
// llb` command). Steps then still find node, pip or go on the PATH.
func fallbackConfig(ref string) *dockerspec.DockerOCIImage {
	img := &dockerspec.DockerOCIImage{}
	img.OS = "linux"
	if strings.HasPrefix(ref, "golang:") || strings.HasPrefix(ref, "docker.io/library/golang:") {
		img.Config.Env = []string{
			"PATH=/go/bin:/usr/local/go/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
			"GOLANG_VERSION=" + ref[strings.LastIndex(ref, ":")+1:], "GOTOOLCHAIN=local", "GOPATH=/go",
		}
		img.Config.WorkingDir = "/go"
		return img
	}
	img.Config.Env = slices.Clone(runtimes.BaseEnv)
	img.Config.WorkingDir = runtimes.TaskRoot
	img.Config.Entrypoint = []string{runtimes.Entrypoint}
	return img
}

// The Lambda directories of the final image.
const (
	taskRoot   = runtimes.TaskRoot
	runtimeDir = runtimes.RuntimeDir
)

// UnresolvedImages resolves every image to its name alone, with no config,
// for generating LLB offline.
type UnresolvedImages struct{}

// ResolveImage implements ImageResolver.
func (UnresolvedImages) ResolveImage(_ context.Context, ref string, p ocispecs.Platform) (llb.State, *dockerspec.DockerOCIImage, error) {
	return llb.Image(ref, llb.Platform(p)), nil, nil
}
