package frontend

import (
	"context"
	"encoding/json"
	"fmt"
	"sync"

	"github.com/containerd/platforms"
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
//
// Each image and platform is resolved once per build, however many stages
// start from it (most families compile on the base image itself), and
// prefetch starts a resolution early: the base image's round trip to the
// registry then overlaps the reading of the build context.
type imageResolver struct {
	bc *dockerui.Client
	c  client.Client

	mu       sync.Mutex
	resolved map[string]*resolution
}

// resolution is one image's resolution, done once; done closes when its
// fields are set.
type resolution struct {
	done chan struct{}
	st   llb.State
	img  *dockerspec.DockerOCIImage
	err  error
}

func newImageResolver(bc *dockerui.Client, c client.Client) *imageResolver {
	return &imageResolver{bc: bc, c: c, resolved: map[string]*resolution{}}
}

// prefetch starts resolving ref for p without waiting for it.
func (r *imageResolver) prefetch(ctx context.Context, ref string, p ocispecs.Platform) {
	r.start(ctx, ref, p)
}

// ResolveImage resolves ref for p, or waits for the resolution already
// started.
func (r *imageResolver) ResolveImage(ctx context.Context, ref string, p ocispecs.Platform) (llb.State, *dockerspec.DockerOCIImage, error) {
	res := r.start(ctx, ref, p)
	select {
	case <-res.done:
		return res.st, res.img, res.err
	case <-ctx.Done():
		return llb.State{}, nil, context.Cause(ctx)
	}
}

// start returns the resolution of ref for p, starting it if it is the
// first request for them.
func (r *imageResolver) start(ctx context.Context, ref string, p ocispecs.Platform) *resolution {
	key := ref + "@" + platforms.FormatAll(platforms.Normalize(p))
	r.mu.Lock()
	defer r.mu.Unlock()
	if res, ok := r.resolved[key]; ok {
		return res
	}
	res := &resolution{done: make(chan struct{})}
	r.resolved[key] = res
	go func() {
		defer close(res.done)
		defer recoverPanic(&res.err)
		res.st, res.img, res.err = r.resolve(ctx, ref, p)
	}()
	return res
}

func (r *imageResolver) resolve(ctx context.Context, ref string, p ocispecs.Platform) (llb.State, *dockerspec.DockerOCIImage, error) {
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
