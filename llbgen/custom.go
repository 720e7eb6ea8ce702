package llbgen

import (
	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/moby/buildkit/client/llb"
)

// customRecipe builds functions on a custom runtime: the build commands
// (or nobody, for a script) make build.output, which becomes the task root,
// and its bootstrap is what the runtime runs.
type customRecipe struct{}

func (customRecipe) manifests(*lambdafile.File) []string { return nil }

// compileImage is the base image itself, which has a shell and no
// compiler: enough for a script bootstrap. A compiled one names its
// toolchain's image in build.image.
func (customRecipe) compileImage(g *gen) (string, error) { return g.info.Base, nil }

func (customRecipe) dependencies(*lambdafile.File, map[string][]byte) Dependencies {
	return Dependencies{}
}

// build ships build.output to the task root, as a .zip function has it,
// and links the runtime's bootstrap to the task root's: the base image's
// entrypoint runs /var/runtime/bootstrap, and a bootstrap that finds its
// files through LAMBDA_TASK_ROOT then works the same in both forms.
func (customRecipe) build(g *gen, compile llb.State) (*layers, error) {
	out, code := g.output(compile, outputOpts{finish: func(fa *llb.FileAction) *llb.FileAction {
		return fa.Mkdir(runtimeDir, 0o755, llb.WithParents(true)).Symlink(taskRoot+"/bootstrap", runtimeDir+"/bootstrap")
	}})
	return &layers{build: out, code: code}, nil
}
