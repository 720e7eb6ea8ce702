package llbgen

import (
	"fmt"
	"path"

	"github.com/buildkit-lambda/buildkit-lambda/preflight"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
)

// preflight runs `frontend preflight` from the frontend's own image on the
// layers the frontend adds, each mounted read-only, so that an image Lambda
// would fail is a failed build instead. It runs on the build platform,
// where the frontend binary runs, and adds nothing to the image.
//
// The checks read the base image's task root and runtime directory, and
// its size. An earlier step keeps a stand-in of those two directories (see
// preflight.Base) and measures the rest, and BuildKit keeps that step in
// its cache while the base does not change, so a rebuild does not walk the
// base's tens of thousands of files again, and a builder importing a
// registry cache pulls a listing instead of a copy of them.
//
// The dependency layer is checked the same way, in a step of its own (see
// prepareDeps), and the checks read the stand-in it leaves.
//
// Every mount is read-only and, where the builder allows, kept out of
// BuildKit's content hashing: the step is found in the cache by what its
// mounts were built from, as a RUN is, and a cold build does not read the
// whole base image to hash it. Where the builder does not allow it, the
// layers are mounted apart rather than as the assembled image, so that a
// layer hashed before keeps its hash and a code change hashes the code.
//
// The image's LD_LIBRARY_PATH, from its config, is where the checks look
// first for the shared libraries a bootstrap or an extension needs.
func (g *gen) preflight(base llb.State, l *layers, cfg dockerspec.DockerOCIImage) llb.State {
	if g.opt.Preflight == nil {
		return llb.State{}
	}
	tool := g.opt.Preflight.Platform(g.opt.BuildPlatform)
	const baseDir, prepared = "/base", "/prepared"
	libraryPath := "--library-path=" + envValue(cfg.Config.Env, "LD_LIBRARY_PATH")
	prepare := tool.Run(
		llb.Args([]string{"/bin/frontend", "preflight-base", libraryPath, baseDir, prepared}),
		g.layerMount(baseDir, base),
		llb.Network(pb.NetMode_NONE),
		g.stepName("preflight: what the checks read of the base image"),
	).AddMount(prepared, llb.Scratch())

	args := append([]string{"/bin/frontend", "preflight"}, g.preflightFunctionArgs()...)
	args = append(args, libraryPath, "--base-size", path.Join(prepared, preflight.BaseSizeFile),
		"--base-modules", path.Join(prepared, preflight.BaseModuleFile),
		"--base-libraries", path.Join(prepared, preflight.BaseLibraryFile),
		"--stand-in", path.Join(prepared, preflight.BaseLayerDir))
	opts := []llb.RunOption{
		g.layerMount(prepared, prepare),
		llb.Network(pb.NetMode_NONE),
		g.stepName("preflight checks: handler, bootstrap, native code, permissions, size, imports"),
	}
	checked := *l
	if l.deps.Output() != nil {
		checked.deps = g.prepareDeps(tool, l.deps)
		args = append(args, "--stand-in", path.Join(layersDir, depsLayer))
	}
	args = append(args, path.Join(prepared, preflight.BaseLayerDir))
	dirs, mounts := g.mountAddedLayers(&checked)
	opts = append(append(opts, mounts...), llb.Args(append(args, dirs...)))
	opts = append(opts, g.location("handler")...)
	return tool.Run(opts...).Root()
}

// prepareDeps checks the dependency layer in a step of its own, which
// BuildKit caches with the layer, and returns the stand-in of the layer
// that the checks of the code read in its place (see
// preflight.PrepareDeps). A builder that imports a registry cache then
// checks a code change without pulling the dependencies.
func (g *gen) prepareDeps(tool, deps llb.State) llb.State {
	const depsDir, standIn = "/deps", "/stand-in"
	args := append([]string{"/bin/frontend", "preflight-deps"}, g.preflightFunctionArgs()...)
	opts := []llb.RunOption{
		llb.Args(append(args, depsDir, standIn)),
		g.layerMount(depsDir, deps),
		llb.Network(pb.NetMode_NONE),
		g.stepName("preflight: the dependencies' native code, permissions, size"),
	}
	return tool.Run(append(opts, g.location("runtime")...)...).AddMount(standIn, llb.Scratch())
}

// preflightFunctionArgs say which function the checks are for.
func (g *gen) preflightFunctionArgs() []string {
	return []string{"--runtime", string(g.s.Runtime), "--handler", g.s.Handler, "--arch", g.target.Architecture}
}

// layersDir is where the steps that read the layers the frontend adds
// (preflight, the zip writer) mount them, the dependency layer at
// layersDir/depsLayer.
const layersDir, depsLayer = "/layers", "deps"

// mountAddedLayers mounts the layers the frontend adds to the base, lowest
// first (the extensions', the dependencies', the code's), each read-only at
// layersDir/NAME, and returns their directories.
func (g *gen) mountAddedLayers(l *layers) (dirs []string, opts []llb.RunOption) {
	add := func(name string, st llb.State) {
		if st.Output() == nil {
			return // no dependencies
		}
		dir := path.Join(layersDir, name)
		dirs = append(dirs, dir)
		opts = append(opts, g.layerMount(dir, st))
	}
	for i, ext := range l.extensions {
		add(fmt.Sprintf("extension%d", i), ext)
	}
	add(depsLayer, l.deps)
	add("code", l.code)
	return dirs, opts
}

// layerMount mounts st read-only at dir for a step that reads it.
func (g *gen) layerMount(dir string, st llb.State) llb.RunOption {
	opts := []llb.MountOption{llb.Readonly}
	if g.opt.NoContentHash {
		opts = append(opts, llb.ContentCache(llb.MountContentCacheOff))
	}
	return llb.AddMount(dir, st, opts...)
}
