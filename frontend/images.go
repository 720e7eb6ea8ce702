package frontend

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/distribution/reference"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// imageResolver resolves images through the gateway. A --build-context of
// the same name replaces an image, as it does for a Dockerfile's FROM.
type imageResolver struct {
	bc *dockerui.Client
	c  client.Client
}

func (r *imageResolver) ResolveImage(ctx context.Context, ref string, p ocispecs.Platform) (llb.State, *dockerspec.DockerOCIImage, error) {
	nc, err := r.bc.NamedContext(ref, dockerui.ContextOpt{Platform: &p, ResolveMode: r.bc.ImageResolveMode.String()})
	if err != nil {
		return llb.State{}, nil, fmt.Errorf("reading --build-context %s: %w", ref, err)
	}
	if nc != nil {
		st, img, err := nc.Load(ctx)
		if err != nil {
			return llb.State{}, nil, fmt.Errorf("loading --build-context %s: %w", ref, err)
		}
		return *st, img, nil
	}

	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return llb.State{}, nil, fmt.Errorf("reading image name %s: %w", ref, err)
	}
	named = reference.TagNameOnly(named)
	_, dgst, dt, err := r.c.ResolveImageConfig(ctx, named.String(), sourceresolver.Opt{
		LogName:  fmt.Sprintf("[internal] load metadata for %s", named),
		ImageOpt: &sourceresolver.ResolveImageOpt{Platform: &p, ResolveMode: r.bc.ImageResolveMode.String()},
	})
	if err != nil {
		return llb.State{}, nil, fmt.Errorf("resolving image %s: %w", ref, err)
	}
	var img dockerspec.DockerOCIImage
	if err := json.Unmarshal(dt, &img); err != nil {
		return llb.State{}, nil, fmt.Errorf("reading config of image %s: %w", ref, err)
	}
	// Pin the digest that was resolved, so the layers are those the config
	// describes even if the tag moves during the build.
	pinned := named.String()
	if canonical, err := reference.WithDigest(named, dgst); err == nil {
		pinned = canonical.String()
	}
	return llb.Image(pinned, llb.Platform(p), r.bc.ImageResolveMode, llb.WithCustomName("[internal] load "+ref)), &img, nil
}
