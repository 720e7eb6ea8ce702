package llbgen

import (
	"fmt"
	"path"
	"slices"

	"github.com/moby/buildkit/client/llb"
)

// output runs the steps of before, then build.commands, on the sources in
// stage, with runOpts, and returns build.output twice: alone, the `build` target, and in the task
// root, readable by Lambda's user, the code layer. exclude is left out of
// the sources; installed, when not empty, is the directory of the sources'
// root that the dependency install filled.
//
// The code layer is one copy from where the output is made, and from the
// build context itself when there are no commands, so that a code change
// reruns no more copies than a Dockerfile's COPY --link: each copy is a
// step whose input BuildKit hashes before it can run. For the same reason
// the copy from the compile stage excludes nothing it need not: BuildKit
// hashes a copy with exclusions by walking its whole source, which costs
// more than the TypeScript compile of a small function.
func (g *gen) output(stage llb.State, runOpts []llb.RunOption, before []step, installed string, exclude ...string) (build, code llb.State) {
	compiled := g.sources(stage, exclude...)
	for _, s := range before {
		s.opts = append(s.opts, runOpts...)
		compiled = g.run(compiled, s).Root()
	}
	compiled = g.commands(compiled, runOpts...)
	var leftOut []string
	if g.s.Build.Output == "." {
		leftOut = g.notShipped(installed)
	}
	build = llb.Scratch().File(llb.Copy(compiled, g.outputDir(buildDir), "/", &llb.CopyInfo{
		CopyDirContentsOnly: true, CreateDestPath: true, ExcludePatterns: leftOut,
	}), llb.WithCustomName(fmt.Sprintf("[%s] build output", g.s.Runtime)))

	from, dir, codeExclude := compiled, g.outputDir(buildDir), leftOut
	if len(g.s.Build.Commands) == 0 && len(before) == 0 {
		from, dir, codeExclude = g.opt.Context, g.outputDir("/"), append(slices.Clone(exclude), leftOut...)
	}
	code = g.copy(llb.Scratch(), "copy "+g.s.Build.Output+" to "+taskRoot, from, dir, taskRoot, &llb.CopyInfo{
		Mode: readable, CopyDirContentsOnly: true, CreateDestPath: true, ExcludePatterns: codeExclude,
	})
	return build, code
}

// notShipped is what never goes from the sources' root to the task root:
// the build definition and .dockerignore, which only the build reads, the
// dependency manifests, of which the dependency layer holds what the
// runtime reads, and the installed directory. Left in, they would also
// make a dependency change, or an edit of lambda.yaml, a new code layer.
func (g *gen) notShipped(installed string) []string {
	names := append([]string{".dockerignore"}, ProbeFiles(g.s)...)
	if g.opt.SourceMap != nil && path.Base(g.opt.SourceMap.Filename) == g.opt.SourceMap.Filename {
		names = append(names, g.opt.SourceMap.Filename)
	}
	if installed != "" {
		names = append(names, installed)
	}
	return names
}

// outputDir is build.output under root, where the sources are.
func (g *gen) outputDir(root string) string {
	return path.Join(root, g.s.Build.Output)
}
