package llbgen

import (
	"cmp"
	"fmt"
	"path"
	"slices"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/moby/buildkit/client/llb"
)

// outputOpts are what output needs besides the stage the sources go on.
type outputOpts struct {
	// runOpts are options of the build commands and the before steps.
	runOpts []llb.RunOption
	// before are steps to run on the sources before build.commands.
	before []step
	// installed, when not empty, is the directory of the sources' root
	// that the dependency install filled.
	installed string
	// exclude is left out of the sources.
	exclude []string
	// packages are workspace packages the function depends on, shipped in
	// the code layer as the runtime finds them.
	packages []workspacePackage
	// finish, when set, adds to the file operation that makes the code
	// layer: one operation, so that the layer stays one layer.
	finish func(*llb.FileAction) *llb.FileAction
	// into, when set, is the directory of the image the output goes in,
	// ending in /; the task root when not set.
	into string
	// bundle, when set, makes the output from the built sources, laid out
	// as the task root, in place of build.output.
	bundle func(compiled llb.State) llb.State
}

// workspacePackage is a package of the monorepo that ships with the
// function: its directory in the sources, and its name, under which it
// goes into the task root's node_modules.
type workspacePackage struct {
	name, dir string
}

// output runs the steps of o.before, then build.commands, on the sources
// in stage, and returns build.output twice: alone, the `build` target, and
// in the task root, readable by Lambda's user, the code layer, with the
// workspace packages the function depends on.
//
// The code layer is one copy from where the output is made, and from the
// build context itself when there are no commands, so that a code change
// reruns no more copies than a Dockerfile's COPY --link: each copy is a
// step whose input BuildKit hashes before it can run. For the same reason
// the copy from the compile stage excludes nothing it need not: BuildKit
// hashes a copy with exclusions by walking its whole source, which costs
// more than the TypeScript compile of a small function.
func (g *gen) output(stage llb.State, o outputOpts) (build, code llb.State) {
	compiled := g.sources(stage, o.exclude...).Dir(path.Join(buildDir, g.s.Workspace))
	for _, s := range o.before {
		s.opts = append(s.opts, o.runOpts...)
		compiled = g.run(compiled, s).Root()
	}
	compiled = g.commands(compiled, o.runOpts...)
	if o.bundle != nil {
		build = o.bundle(compiled)
		code = llb.Scratch().File(llb.Copy(build, "/", taskRoot, &llb.CopyInfo{
			Mode: readable, CopyDirContentsOnly: true, CreateDestPath: true,
		}), g.stepName(fmt.Sprintf("copy the bundle to %s", taskRoot)))
		return build, code
	}
	var leftOut []string
	if g.s.Build.Output == "." {
		leftOut = g.notShipped(o.installed)
	}
	build = llb.Scratch().File(llb.Copy(compiled, g.outputDir(buildDir), "/", &llb.CopyInfo{
		CopyDirContentsOnly: true, CreateDestPath: true, ExcludePatterns: leftOut,
	}), g.stepName("build output"))

	from, root, codeExclude := compiled, buildDir, leftOut
	if len(g.s.Build.Commands) == 0 && len(o.before) == 0 {
		from, root, codeExclude = g.opt.Context, "/", append(slices.Clone(o.exclude), leftOut...)
	}
	copies := llb.Copy(from, g.outputDir(root), cmp.Or(o.into, taskRoot), &llb.CopyInfo{
		Mode: readable, CopyDirContentsOnly: true, CreateDestPath: true, ExcludePatterns: codeExclude,
	})
	for _, p := range o.packages {
		copies = copies.Copy(from, path.Join(root, p.dir), path.Join(taskRoot, "node_modules", p.name), &llb.CopyInfo{
			Mode: readable, CopyDirContentsOnly: true, CreateDestPath: true, ExcludePatterns: []string{"node_modules"},
		})
	}
	if o.finish != nil {
		copies = o.finish(copies)
	}
	code = llb.Scratch().File(copies, g.stepName(fmt.Sprintf("copy %s to %s", path.Join(g.s.Workspace, g.s.Build.Output), cmp.Or(o.into, taskRoot))))
	return build, code
}

// notShipped is what never goes from the sources' root to the task root:
// the build definition and .dockerignore, which only the build reads, the
// dependency manifests, of which the dependency layer holds what the
// runtime reads, the tests' event files, the extensions' .zip files, which
// are layers of their own, and the installed directory. Left
// in, they would also make a dependency change, or an edit of lambda.yaml
// or of a test, a new code layer.
func (g *gen) notShipped(installed string) []string {
	names := append([]string{".dockerignore"}, ProbeFiles(g.s)...)
	for _, ext := range g.s.Extensions {
		if lambdafile.IsExtensionZip(ext) {
			names = append(names, ext)
		}
	}
	if g.opt.SourceMap != nil && path.Base(g.opt.SourceMap.Filename) == g.opt.SourceMap.Filename {
		names = append(names, g.opt.SourceMap.Filename)
	}
	if installed != "" {
		names = append(names, installed)
	}
	return names
}

// outputDir is build.output under root, where the sources are, in the
// function's workspace.
func (g *gen) outputDir(root string) string {
	return path.Join(root, g.s.Workspace, g.s.Build.Output)
}
