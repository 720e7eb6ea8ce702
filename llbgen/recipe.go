package llbgen

import (
	"fmt"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/runtimes"
	"github.com/moby/buildkit/client/llb"
)

// recipe builds the functions of one runtime family: what it reads of the
// context, the image it compiles in, and the layers it adds to the base.
type recipe interface {
	// manifests are the dependency manifests, at the root of the
	// context, that the recipe reads.
	manifests(s *lambdafile.File) []string
	// compileImage is the compile stage's image when build.image does not
	// replace it.
	compileImage(g *gen) (string, error)
	// dependencies says how the context's files declare the function's
	// dependencies.
	dependencies(s *lambdafile.File, files map[string][]byte) Dependencies
	// build adds the dependency and code layers on the compile stage.
	build(g *gen, compile llb.State) (*layers, error)
}

// Dependencies says how a function's dependencies are declared and
// installed, for --call outline and the reproducibility check.
type Dependencies struct {
	// Manager is the package manager whose files declare them, like npm,
	// uv or poetry; empty when the function has none.
	Manager string
	// Version is the manager's version the build uses, when the build
	// chooses one; empty when the compile image's own is used.
	Version string
	// Lockfile is the file the installed versions come from.
	Lockfile string
	// Locked says the versions are pinned by a lockfile; a build without
	// one may install other versions tomorrow.
	Locked bool
	// Lock is the command that would lock them, when they are not.
	Lock string
}

// recipes holds the recipe of each family of the registry, by family name.
var recipes = map[string]recipe{
	runtimes.Node.Name():   nodeRecipe{},
	runtimes.Python.Name(): pythonRecipe{},
	runtimes.Go.Name():     goRecipe{},
	runtimes.Rust.Name():   rustRecipe{},
	runtimes.Java.Name():   javaRecipe{},
	runtimes.Ruby.Name():   rubyRecipe{},
	runtimes.Custom.Name(): customRecipe{},
}

// recipeOf is the recipe of a loaded file's runtime.
func recipeOf(s *lambdafile.File) (recipe, error) {
	fam := s.Runtime.Family()
	if fam == nil {
		return nil, fmt.Errorf("runtime %q is not in the registry", s.Runtime)
	}
	r, ok := recipes[fam.Name()]
	if !ok {
		return nil, fmt.Errorf("runtime family %s has no build recipe", fam.Name())
	}
	return r, nil
}

// DependenciesOf says how a function's dependencies are declared, from the
// context files ProbeFiles named.
func DependenciesOf(s *lambdafile.File, files map[string][]byte) Dependencies {
	r, err := recipeOf(s)
	if err != nil {
		return Dependencies{}
	}
	return r.dependencies(s, files)
}

// managerChoice is the lambda.yaml path a problem with the package
// manager's files points at: build.packageManager when it chose the
// manager, else the runtime, whose recipe detected it.
func (g *gen) managerChoice() string {
	if g.s.Build.PackageManager != "" {
		return "build.packageManager"
	}
	return "runtime"
}
