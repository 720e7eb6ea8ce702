package llbgen

import (
	"fmt"
	"path"

	"github.com/moby/buildkit/client/llb"
)

// output runs build.commands on the sources in stage, with runOpts, and
// returns build.output twice: alone, the `build` target, and in the task
// root, readable by Lambda's user, the code layer. exclude is left out of
// the sources; installed, when not empty, is the directory of the sources'
// root that the dependency install filled, which never ships from there.
//
// The code layer is one copy from where the output is made, and from the
// build context itself when there are no commands, so that a code change
// reruns no more copies than a Dockerfile's COPY --link: each copy is a
// step whose input BuildKit hashes before it can run. For the same reason
// the copy from the compile stage excludes nothing it need not: BuildKit
// hashes a copy with exclusions by walking its whole source, which costs
// more than the TypeScript compile of a small function.
func (g *gen) output(stage llb.State, runOpts []llb.RunOption, installed string, exclude ...string) (build, code llb.State) {
	compiled := g.commands(g.sources(stage, exclude...), runOpts...)
	var compiledExclude []string
	if installed != "" && g.s.Build.Output == "." {
		compiledExclude = []string{installed}
	}
	build = llb.Scratch().File(llb.Copy(compiled, g.outputDir(buildDir), "/", &llb.CopyInfo{
		CopyDirContentsOnly: true, CreateDestPath: true, ExcludePatterns: compiledExclude,
	}), llb.WithCustomName(fmt.Sprintf("[%s] build output", g.s.Runtime)))

	from, dir := compiled, g.outputDir(buildDir)
	if len(g.s.Build.Commands) == 0 {
		from, dir, compiledExclude = g.opt.Context, g.outputDir("/"), exclude
	}
	code = g.copy(llb.Scratch(), "copy "+g.s.Build.Output+" to "+taskRoot, from, dir, taskRoot, &llb.CopyInfo{
		Mode: readable, CopyDirContentsOnly: true, CreateDestPath: true, ExcludePatterns: compiledExclude,
	})
	return build, code
}

// outputDir is build.output under root, where the sources are.
func (g *gen) outputDir(root string) string {
	return path.Join(root, g.s.Build.Output)
}
