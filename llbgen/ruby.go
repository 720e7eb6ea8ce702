package llbgen

import (
	"fmt"
	"maps"
	"slices"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/moby/buildkit/client/llb"
)

const (
	// bundleCache is Bundler's download cache, a cache mount: with a
	// global gem cache, Bundler keeps the .gem files it fetches there
	// rather than under the install path, which ships.
	bundleCache = "/root/.cache/bundler"
	// bundlePath is where Bundler installs the gems, as
	// ruby/<ABI version>/gems and specifications: under the task root,
	// vendor/bundle/ruby/<ABI version> is on the AWS Ruby images'
	// GEM_PATH.
	bundlePath = "vendor/bundle"
	// bundleWithout are the Gemfile groups that never ship.
	bundleWithout = "development:test"
)

// bundleEnv configures Bundler in the compile stage. Bundler reads the
// environment below a project's .bundle/config, so BUNDLE_APP_CONFIG
// points at a directory of the frontend's own: a developer's local
// settings (another path, other groups) never change what ships. Groups
// development and test stay out; Bundler never asks and never warns
// about running as root. The image's own Bundler installs, the one
// bundler/setup runs on Lambda, rather than the one Gemfile.lock was
// written with, which Bundler would otherwise download and restart with.
var bundleEnv = map[string]string{
	"BUNDLE_APP_CONFIG":           "/root/.bundle-lambda",
	"BUNDLE_GEMFILE":              buildDir + "/Gemfile",
	"BUNDLE_PATH":                 depsDir + "/" + bundlePath,
	"BUNDLE_WITHOUT":              bundleWithout,
	"BUNDLE_USER_CACHE":           bundleCache,
	"BUNDLE_GLOBAL_GEM_CACHE":     "true",
	"BUNDLE_SILENCE_ROOT_WARNING": "true",
	"BUNDLE_IGNORE_MESSAGES":      "true",
	"BUNDLE_NO_PRUNE":             "true",
	"BUNDLE_VERSION":              "system",
}

// bundleConfig is the task root's .bundle/config: the gems and groups the
// build installed, relative to the Gemfile.
const bundleConfig = "---\nBUNDLE_PATH: \"" + bundlePath + "\"\nBUNDLE_WITHOUT: \"" + bundleWithout + "\"\n"

// rubyRecipe builds Ruby functions with Bundler.
type rubyRecipe struct{}

func (rubyRecipe) manifests(*lambdafile.File) []string { return []string{"Gemfile", "Gemfile.lock"} }

func (rubyRecipe) dependencies(_ *lambdafile.File, files map[string][]byte) Dependencies {
	if _, ok := files["Gemfile"]; !ok {
		return Dependencies{}
	}
	d := Dependencies{Manager: "bundler", Lockfile: "Gemfile.lock", Locked: true}
	if _, ok := files["Gemfile.lock"]; !ok {
		d.Lockfile, d.Locked, d.Lock = "Gemfile", false, "bundle lock, then commit Gemfile.lock"
	}
	return d
}

// compileImage is the base image itself: it has ruby and bundler.
func (rubyRecipe) compileImage(g *gen) (string, error) { return g.info.Base, nil }

// build installs the Gemfile's gems, less the development and test groups,
// with Bundler in deployment mode: exactly Gemfile.lock's versions, into
// vendor/bundle, the dependency layer. Bundler installs for the platform it
// runs on, the build platform: a gem with native code needs build.emulate
// to be built for another, and preflight fails an image that holds native
// code of the wrong architecture.
func (rubyRecipe) build(g *gen, compile llb.State) (*layers, error) {
	exclude := []string{bundlePath, ".bundle"}
	if !g.hasFile("Gemfile") {
		if g.hasFile("Gemfile.lock") {
			return nil, &ContextError{Path: "runtime", Msg: "Gemfile.lock has no Gemfile beside it; a lockfile alone does not say what to install: add the Gemfile, or remove Gemfile.lock"}
		}
		out, code := g.output(compile, outputOpts{exclude: exclude})
		return &layers{build: out, code: code}, nil
	}
	for _, k := range slices.Sorted(maps.Keys(bundleEnv)) {
		compile = compile.AddEnv(k, bundleEnv[k])
	}
	name := "bundle install"
	if g.hasFile("Gemfile.lock") {
		// Deployment mode: the lock is installed as it is, or the build
		// fails saying how the Gemfile and the lock disagree.
		compile = compile.AddEnv("BUNDLE_DEPLOYMENT", "true")
		name = "bundle install (deployment)"
	}
	manifests := g.copyPresent(compile, "Gemfile", "Gemfile.lock")
	install := g.run(manifests, step{
		name: name, args: []string{"bundle", "install"}, declaredAt: "runtime", fetches: true,
		opts: []llb.RunOption{g.cacheMount(bundleCache, "bundler", llb.CacheMountLocked)},
	})
	// Bundler keeps a copy of each .gem beside the installed gem; the
	// runtime never reads it.
	depsTree := llb.Scratch().File(llb.Copy(install.AddMount(depsDir, llb.Scratch()), "/", "/", &llb.CopyInfo{
		CopyDirContentsOnly: true, ExcludePatterns: []string{bundlePath + "/ruby/*/cache"},
	}), g.stepName("installed gems, less their .gem files"))
	out, code := g.output(compile, outputOpts{
		runOpts: []llb.RunOption{llb.AddMount(depsDir, depsTree, llb.Readonly)},
		exclude: exclude,
	})
	// The Gemfile, its lock and a .bundle/config naming vendor/bundle ride
	// with the gems, so that a handler that requires bundler/setup finds
	// them as bundle install left them. One file op: one layer.
	deps := llb.Scratch().File(
		llb.Copy(depsTree, "/", taskRoot, &llb.CopyInfo{Mode: readable, CopyDirContentsOnly: true, CreateDestPath: true}).
			Copy(install.Root(), buildDir+"/Gemfile", taskRoot+"/Gemfile", &llb.CopyInfo{Mode: readable}).
			Copy(install.Root(), buildDir+"/Gemfile.lock", taskRoot+"/Gemfile.lock", &llb.CopyInfo{Mode: readable}).
			Mkdir(taskRoot+"/.bundle", 0o755).
			Mkfile(taskRoot+"/.bundle/config", 0o644, []byte(bundleConfig)),
		g.stepName(fmt.Sprintf("gems to %s, with the Gemfile", taskRoot+"/"+bundlePath)))
	return &layers{build: out, depsTree: depsTree, deps: deps, code: code, depsDescription: name}, nil
}
