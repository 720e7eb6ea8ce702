package frontend

import (
	"context"
	"errors"
	"fmt"

	"github.com/buildkit-lambda/buildkit-lambda/checks"
	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/frontend/subrequests"
	"github.com/moby/buildkit/frontend/subrequests/lint"
	"github.com/moby/buildkit/frontend/subrequests/outline"
	subtargets "github.com/moby/buildkit/frontend/subrequests/targets"
	"github.com/moby/buildkit/solver/pb"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Version is the frontend's version, set at link time.
var Version = "dev"

// Build is the gateway frontend: lambda.yaml in, a Lambda image out.
func Build(ctx context.Context, c client.Client) (_ *client.Result, err error) {
	defer recoverPanic(&err)

	c, trace := traceRequests(c)
	bc, err := dockerui.NewClient(c)
	if err != nil {
		return nil, fmt.Errorf("reading build options: %w", err)
	}
	if bc.BuildOpts().Opts["requestid"] == subrequests.RequestSubrequestsDescribe {
		return describeSubrequests()
	}
	src, err := bc.ReadEntrypoint(ctx, "YAML")
	if err != nil {
		return nil, fmt.Errorf("reading lambda.yaml: %w", err)
	}
	s, err := lambdafile.Load(src.Filename, src.Data)
	if err != nil {
		return nil, withSource(err, s, src.SourceMap)
	}
	target, err := selectTarget(bc.Target)
	if err != nil {
		return nil, err
	}
	ep, err := epoch(bc)
	if err != nil {
		return nil, err
	}
	images := newImageResolver(bc, c)
	if bc.BuildOpts().Opts["requestid"] == "" {
		prefetchBaseImages(ctx, images, s, bc.TargetPlatforms)
	}
	ctxFiles, err := readContextFiles(ctx, bc, append(llbgen.ProbeFiles(s), checks.ProbeFiles(s)...), checks.LinkProbes(s))
	if err != nil {
		return nil, err
	}
	findings, err := runChecks(ctx, bc, s, ctxFiles)
	if err != nil {
		return nil, err
	}
	mainContext, err := bc.MainContext(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the build context: %w", err)
	}
	self, err := currentFrontend(c)
	if err != nil {
		return nil, err
	}
	caps := c.BuildOpts().LLBCaps
	mergeOp := caps.Supports(pb.CapMergeOp) == nil
	noContentHash := caps.Supports(pb.CapExecMountContentCache) == nil
	options := func(platform *ocispecs.Platform) llbgen.Options {
		return llbgen.Options{
			TargetPlatform: platform,
			BuildPlatform:  bc.BuildPlatforms[0],
			Context:        *mainContext,
			Files:          ctxFiles.files,
			Images:         images,
			SourceMap:      src.SourceMap,
			CacheNS:        bc.CacheIDNamespace,
			NetworkMode:    bc.NetworkMode,
			MergeOp:        mergeOp,
			NoContentHash:  noContentHash,
			Epoch:          ep,
			Version:        Version,
			BuildArgs:      bc.BuildArgs,
			Labels:         bc.Labels,
			Preflight:      self,
		}
	}

	if bc.BuildOpts().Opts["requestid"] == lint.RequestLint {
		return answerCheck(s, src, findings)
	}
	res, handled, err := bc.HandleSubrequest(ctx, dockerui.RequestHandler{
		ListTargets: func(context.Context) (*subtargets.List, error) { return listTargets(), nil },
		Outline: func(ctx context.Context) (*outline.Outline, error) {
			res, err := generateOffline(ctx, s, options(firstPlatform(bc)))
			if err != nil {
				return nil, withSource(err, s, src.SourceMap)
			}
			return buildOutline(target, s, src, res, llbgen.DependenciesOf(s, ctxFiles.files)), nil
		},
	})
	if handled || err != nil {
		return res, err
	}
	if err := reportFindings(ctx, s, src, findings); err != nil {
		return nil, err
	}
	if target.image {
		// The .zip targets are files, which no registry turns into an index.
		warnAboutAttestations(ctx, bc, src)
	}

	if len(bc.TargetPlatforms) == 0 {
		// Without --platform the image is for the spec's architecture, not
		// the builder's.
		bc.TargetPlatforms = []ocispecs.Platform{{OS: "linux", Architecture: s.Architecture.GOARCH()}}
	}
	rb, err := bc.Build(ctx, func(ctx context.Context, platform *ocispecs.Platform, _ int) (*dockerui.BuildResult, error) {
		res, err := llbgen.Generate(ctx, s, options(platform))
		if err != nil {
			return nil, withSource(err, s, src.SourceMap)
		}
		marshal := []llb.ConstraintsOpt{llb.Platform(res.Platform)}
		if bc.IsNoCache(target.name) {
			// --no-cache (or --no-cache-filter naming the target) reruns
			// every step, pulls included, as it does for a Dockerfile.
			marshal = append(marshal, llb.IgnoreCache)
		}
		st := target.state(res)
		if st.Output() == nil && target.unavailable != "" {
			return nil, errors.New(target.unavailable)
		}
		def, err := st.Marshal(ctx, marshal...)
		if err != nil {
			return nil, fmt.Errorf("marshalling LLB: %w", err)
		}
		r, err := c.Solve(ctx, client.SolveRequest{Definition: def.ToPB(), CacheImports: bc.CacheImports})
		if err != nil {
			return nil, err
		}
		ref, err := r.SingleRef()
		if err != nil {
			return nil, err
		}
		if err := runPreflight(ctx, c, target, res, marshal, bc.CacheImports); err != nil {
			return nil, err
		}
		if err := runTests(ctx, testRun{c: c, s: s, src: src, imports: bc.CacheImports}, target, res, marshal); err != nil {
			return nil, err
		}
		return &dockerui.BuildResult{Reference: untraced(ref), Image: &res.Config, BaseImage: res.BaseConfig, Epoch: res.Config.Created}, nil
	})
	if err != nil {
		return nil, err
	}
	trace.report(ctx, src)
	return rb.Finalize()
}

// prefetchBaseImages starts resolving the base image for each platform
// the build is for, so that the registry's answer comes while the frontend
// reads the build context. A platform Lambda does not run is left for
// Generate to report.
func prefetchBaseImages(ctx context.Context, images *imageResolver, s *lambdafile.File, requested []ocispecs.Platform) {
	if len(requested) == 0 {
		requested = []ocispecs.Platform{{OS: "linux", Architecture: s.Architecture.GOARCH()}}
	}
	for _, p := range requested {
		if target, err := llbgen.TargetPlatform(s, &p); err == nil {
			images.prefetch(ctx, s.BaseImage(), target)
		}
	}
}

// currentFrontend is the frontend's own image, which runs the preflight
// checks. It is nil, and the checks are left out, when the frontend did not
// start from an image. The gRPC gateway client has the method, though the
// client.Client interface does not list it.
func currentFrontend(c client.Client) (*llb.State, error) {
	cf, ok := c.(interface{ CurrentFrontend() (*llb.State, error) })
	if !ok {
		return nil, nil
	}
	st, err := cf.CurrentFrontend()
	if err != nil {
		return nil, fmt.Errorf("reading the frontend's own image: %w", err)
	}
	return st, nil
}

// runPreflight solves the preflight checks of a checked target's result.
// The image's own solve is lazy, so this is where its steps run, before
// the tests: the checks take the image's marshal options (--no-cache) and
// cache imports. When the image depends on the checks (with MergeOp), the
// image itself is solved: the same steps, and the image's cache is theirs.
func runPreflight(ctx context.Context, c client.Client, t target, res *llbgen.Result, marshal []llb.ConstraintsOpt, imports []client.CacheOptionsEntry) error {
	if !t.checked || res.Preflight.Output() == nil {
		return nil
	}
	checks := res.Preflight
	if t.image && res.PreflightInImage {
		checks = res.Image
	}
	return evaluate(ctx, c, "the preflight checks", checks, marshal, imports)
}

// evaluate solves st for its effect alone, as the checks and tests of an
// image are: with the image's marshal options and cache imports.
func evaluate(ctx context.Context, c client.Client, what string, st llb.State, marshal []llb.ConstraintsOpt, imports []client.CacheOptionsEntry) error {
	def, err := st.Marshal(ctx, marshal...)
	if err != nil {
		return fmt.Errorf("marshalling %s: %w", what, err)
	}
	_, err = c.Solve(ctx, client.SolveRequest{Definition: def.ToPB(), CacheImports: imports, Evaluate: true})
	return err
}

// firstPlatform is the platform a subrequest describes: the first
// --platform, or nil for the spec's architecture.
func firstPlatform(bc *dockerui.Client) *ocispecs.Platform {
	if len(bc.TargetPlatforms) == 0 {
		return nil
	}
	return &bc.TargetPlatforms[0]
}

// recoverPanic turns a panic anywhere in the frontend into a build error, so
// the user sees a short message instead of a crashed gateway.
func recoverPanic(err *error) {
	if r := recover(); r != nil {
		*err = fmt.Errorf("buildkit-lambda %s failed unexpectedly (%v); this is a bug, please report it with your lambda.yaml", Version, r)
	}
}
