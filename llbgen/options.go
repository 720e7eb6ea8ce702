package llbgen

import (
	"context"
	"time"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Options are the inputs of Generate besides the spec.
type Options struct {
	// TargetPlatform is the platform the image is for, from --platform. Nil
	// means the spec's architecture.
	TargetPlatform *ocispecs.Platform
	// BuildPlatform is the builder's platform, where every step runs unless
	// the spec asks for emulation.
	BuildPlatform ocispecs.Platform
	// Context is the build context, the function's sources.
	Context llb.State
	// Files holds the context files named by ProbeFiles that exist.
	Files map[string][]byte
	// Images resolves the base and compile images.
	Images ImageResolver
	// SourceMap is lambda.yaml itself, so that steps point back at the line
	// that declared them when they fail.
	SourceMap *llb.SourceMap
	// CacheNS prefixes cache mount IDs (the BUILDKIT_CACHE_MOUNT_NS build arg).
	CacheNS string
	// NetworkMode is the network of the steps that fetch dependencies
	// (--network); steps that need no network always run without one.
	NetworkMode pb.NetMode
	// MergeOp says the builder supports merge ops, which let the dependency
	// and code layers be rebased like COPY --link.
	MergeOp bool
	// NoContentHash says the builder can be told not to hash a mount's
	// content for the cache (CapExecMountContentCache), which the
	// preflight steps use on every mount.
	NoContentHash bool
	// Epoch is SOURCE_DATE_EPOCH, the created time of the image.
	Epoch *time.Time
	// Version is the frontend's version, recorded in a label.
	Version string
	// BuildArgs are the --build-arg values; those of declared args are used.
	BuildArgs map[string]string
	// Labels are --label values, set over lambda.yaml's labels.
	Labels map[string]string
	// Preflight is the frontend's own image, whose /bin/frontend checks the
	// finished image (see package preflight). Nil leaves the checks out.
	Preflight *llb.State
}

// ImageResolver gives the state and config of an image for a platform. The
// config may be nil when it cannot be resolved (offline); Generate then
// uses the documented layout of the image.
type ImageResolver interface {
	ResolveImage(ctx context.Context, ref string, platform ocispecs.Platform) (llb.State, *dockerspec.DockerOCIImage, error)
}

// Result is what Generate produces.
type Result struct {
	// Image is the final image: the base plus dependency and code layers.
	Image llb.State
	// Build is the compile stage's output alone: build.output's contents, or
	// the bootstrap binary for Go.
	Build llb.State
	// Deps is the production dependency tree alone.
	Deps llb.State
	// Zip is a directory holding FunctionZip, the .zip deployment package;
	// Layer one holding LayerZip, the dependencies as a Lambda layer. Each
	// is the zero State when the function cannot have it (see archives).
	Zip, Layer llb.State
	// Config is the image config of Image.
	Config dockerspec.DockerOCIImage
	// BaseConfig is the base image's config, or nil when unresolved.
	BaseConfig *dockerspec.DockerOCIImage
	// Platform is the platform the image was built for.
	Platform ocispecs.Platform
	// Caches lists the cache mounts of the steps, in the order they run.
	Caches []CacheMount
	// Preflight checks Image; solving it fails when the image would fail
	// on Lambda. The zero State when Options.Preflight is nil.
	Preflight llb.State
	// PreflightInImage says that Image depends on Preflight, as it does
	// with MergeOp: building the image runs the checks, and exporting the
	// image's cache exports theirs. Without it, Preflight is solved on its
	// own.
	PreflightInImage bool
	// Tests are lambda.yaml's tests of Image, run after Preflight; none
	// when Options.Preflight is nil.
	Tests []Test
}

// CacheMount is a persistent cache directory a step mounts.
type CacheMount struct {
	// ID is the cache's id in the builder; steps with the same ID share it.
	ID string
	// Target is where the step mounts it.
	Target string
}
