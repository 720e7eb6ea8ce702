package llbgen

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/runtimes"
	"github.com/containerd/platforms"
	"github.com/moby/buildkit/client/llb"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// gen holds what the steps of one Generate call share.
type gen struct {
	ctx context.Context
	s   *lambdafile.File
	// info is the runtime's registry row.
	info runtimes.Runtime
	opt  Options
	// target is the image's platform; arch is its Lambda name.
	target ocispecs.Platform
	arch   lambdafile.Architecture
	// cross is set when steps run on another architecture than the
	// target's, so package managers must be told which one to fetch for.
	cross bool
	// args are the values of the declared and predefined build arguments.
	args map[string]string
	// caches lists the cache mounts the steps use, for the outline.
	caches []CacheMount
}

// layers is what a runtime adds to the base image.
type layers struct {
	// build is the compile stage's output, the `build` target.
	build llb.State
	// depsTree is the production dependency tree alone, the `deps` target.
	depsTree llb.State
	// deps and code are the image's two layers, each rooted at /; deps is
	// the zero State when the function has no dependencies.
	deps, code llb.State
	// depsDescription and codeDescription say what made each layer, for
	// the image's history; the code layer's is build.output unless set.
	depsDescription, codeDescription string
	// extensions are the layers of lambda.yaml's extensions, in its
	// order, each rooted at / and holding /opt.
	extensions []llb.State
	// env is what the build sets in the image's environment, under
	// lambda.yaml's env.
	env map[string]string
}

// Generate turns a loaded spec into LLB and an image config.
func Generate(ctx context.Context, s *lambdafile.File, opt Options) (*Result, error) {
	target, err := TargetPlatform(s, opt.TargetPlatform)
	if err != nil {
		return nil, err
	}
	arch, _ := lambdafile.ArchitectureOf(target.Architecture)
	runOn := opt.BuildPlatform
	if s.Build.Emulate {
		runOn = target
	}
	rcp, err := recipeOf(s)
	if err != nil {
		return nil, err
	}
	info, _ := s.Runtime.Info()
	g := &gen{ctx: ctx, s: s, info: info, opt: opt, target: target, arch: arch, cross: runOn.Architecture != target.Architecture}
	g.args = argValues(s, opt, target)

	compileRef := s.Build.Image
	if compileRef == "" {
		if compileRef, err = rcp.compileImage(g); err != nil {
			return nil, err
		}
	}
	compile, _, err := g.image(compileRef, runOn)
	if err != nil {
		return nil, err
	}
	compile = compile.Dir(buildDir)
	if opt.Epoch != nil {
		// pip, py_compile, npm and most build tools read it to write the
		// same bytes on every build.
		compile = compile.AddEnv("SOURCE_DATE_EPOCH", strconv.FormatInt(opt.Epoch.Unix(), 10))
	}
	buildEnv := g.expand(s.Build.Env)
	for _, k := range slices.Sorted(maps.Keys(buildEnv)) {
		compile = compile.AddEnv(k, buildEnv[k])
	}

	l, err := rcp.build(g, compile)
	if err != nil {
		return nil, err
	}

	base, baseConfig, err := g.image(s.BaseImage(), target)
	if err != nil {
		return nil, err
	}
	if err := checkManifestSize(baseConfig); err != nil {
		return nil, err
	}
	if l.extensions, err = g.extensionLayers(); err != nil {
		return nil, err
	}
	cfg := g.imageConfig(baseConfig, l)
	checks := g.preflight(base, l, cfg)
	img := g.assemble(base, l, checks)
	zip, layer := g.archives(l)
	tests, err := g.smokeTests(img, cfg)
	if err != nil {
		return nil, err
	}
	return &Result{
		Image:     img,
		Preflight: checks,
		// assemble makes the merged image depend on the checks.
		PreflightInImage: g.opt.MergeOp && checks.Output() != nil,
		Tests:            tests,
		Build:            l.build,
		Deps:             l.depsTree,
		Zip:              zip,
		Layer:            layer,
		Config:           cfg,
		BaseConfig:       baseConfig,
		Platform:         target,
		Caches:           g.caches,
	}, nil
}

// TargetPlatform is --platform when given, else the spec's architecture.
// Check warns when the two disagree.
func TargetPlatform(s *lambdafile.File, requested *ocispecs.Platform) (ocispecs.Platform, error) {
	if requested == nil {
		return ocispecs.Platform{OS: "linux", Architecture: s.Architecture.GOARCH()}, nil
	}
	p := platforms.Normalize(*requested)
	if _, ok := lambdafile.ArchitectureOf(p.Architecture); p.OS != "linux" || !ok {
		return p, &ContextError{Path: "architecture", Msg: fmt.Sprintf("--platform %s is not one Lambda runs; use linux/amd64 (x86_64) or linux/arm64 (arm64)", platforms.Format(p))}
	}
	return ocispecs.Platform{OS: "linux", Architecture: p.Architecture}, nil
}

// image resolves an image for a platform and gives its state the image's
// environment and working directory.
func (g *gen) image(ref string, p ocispecs.Platform) (llb.State, *dockerspec.DockerOCIImage, error) {
	st, cfg, err := g.opt.Images.ResolveImage(g.ctx, ref, p)
	if err != nil {
		return llb.State{}, nil, err
	}
	env := cfg
	if env == nil {
		env = fallbackConfig(ref)
	}
	dt, err := json.Marshal(env)
	if err != nil {
		return llb.State{}, nil, fmt.Errorf("encoding config of %s: %w", ref, err)
	}
	st, err = st.WithImageConfig(dt)
	if err != nil {
		return llb.State{}, nil, fmt.Errorf("reading config of %s: %w", ref, err)
	}
	return st.Platform(p), cfg, nil
}

// assemble puts the extensions' layers, the dependency layer, then the code
// layer, on the base, so that a code-only change rebuilds and ships only
// the last layer. Merge
// rebases the layers without copying them into the base, like COPY --link.
func (g *gen) assemble(base llb.State, l *layers, checks llb.State) llb.State {
	parts := append([]llb.State{base}, l.extensions...)
	if l.deps.Output() != nil {
		parts = append(parts, l.deps)
	}
	parts = append(parts, l.code)
	if g.opt.MergeOp {
		if checks.Output() != nil {
			// The diff of the checks' result with itself is empty, so the
			// image gains no layer; but it cannot be built without the
			// checks, whose cache then goes wherever the image's goes: a
			// builder importing a registry cache finds them there instead
			// of pulling every layer to check it again.
			parts = append(parts, llb.Diff(checks, checks, g.stepName("preflight checks passed")))
		}
		return llb.Merge(parts, g.stepName("image"))
	}
	img := base
	for _, layer := range parts[1:] {
		img = g.copy(img, "layer onto the base image", layer, "/", "/", &llb.CopyInfo{CopyDirContentsOnly: true})
	}
	return img
}
