package llbgen

import (
	_ "embed"
	"encoding/json"
	"fmt"
	"path"
	"strings"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/runtimes"
	"github.com/moby/buildkit/client/llb"
)

// EsbuildVersion is the esbuild build.bundle runs, from npm.
const EsbuildVersion = "0.28.2"

// bundleScript runs the steps of build.bundle with the compile stage's
// Node.js: choosing what the bundle leaves out, and calling esbuild.
//
//go:embed bundle.js
var bundleScript string

const (
	// esbuildDir is where esbuild is installed, a mount of its own.
	esbuildDir = "/opt/buildkit-lambda/esbuild"
	// unbundledDir is where the packages the bundle leaves out are
	// gathered, in node_modules, beside external.json, their names.
	unbundledDir = "/.buildkit-lambda/unbundled"
	// bundleDir is where the bundle is written, laid out as the task root.
	bundleDir = "/.buildkit-lambda/bundle"
	// bundleScriptDir holds bundleScript, as bundle.js.
	bundleScriptDir = "/.buildkit-lambda/script"
)

// bundler makes build.bundle's steps for one build.
type bundler struct {
	g *gen
	// tool is esbuild's installation, mounted at esbuildDir.
	tool llb.State
	// unbundled, when the function has dependencies, holds the packages
	// the bundle leaves out; nil when it has none.
	unbundled *llb.State
}

// newBundler installs esbuild with compile's npm, for the platform the
// compile stage runs on, before the project's files reach the stage, so
// that the install stays cached when they change.
func (g *gen) newBundler(compile llb.State) *bundler {
	pkg := "esbuild@" + EsbuildVersion
	install := g.run(compile, step{
		name: "npm install " + pkg, declaredAt: "build.bundle", fetches: true,
		args: []string{"npm", "install", "--global", "--prefix", esbuildDir, pkg},
		opts: []llb.RunOption{g.cacheMount(npmCache, "npm", llb.CacheMountShared)},
	})
	return &bundler{g: g, tool: install.AddMount(esbuildDir, llb.Scratch())}
}

// layers are a bundled function's: the bundle of the sources built on
// all, every dependency installed, and the packages it leaves out of the
// production ones installed in prod, in its directory modules. The
// workspace packages the function depends on are bundled, as any other.
func (b *bundler) layers(all, prod llb.State, modules string, opts outputOpts) *layers {
	unbundled := b.leaveOut(prod, modules)
	opts.bundle = b.bundle
	out, code := b.g.output(all, opts)
	return &layers{
		build:    out,
		code:     code,
		depsTree: llb.Scratch().File(llb.Copy(unbundled, "/node_modules", "/node_modules", &llb.CopyInfo{CreateDestPath: true})),
		deps: llb.Scratch().File(llb.Copy(unbundled, "/node_modules", taskRoot+"/node_modules", &llb.CopyInfo{Mode: readable, CreateDestPath: true}),
			b.g.stepName("the packages the bundle leaves out")),
		depsDescription: "the packages the bundle leaves out",
		codeDescription: b.description(),
		env:             b.env(),
	}
}

// leaveOut runs on the production install in prod: it gathers the
// packages the bundle cannot hold (those with native code, those loading
// them, and build.bundle.external) with what they depend on, and returns
// them in node_modules at the root.
func (b *bundler) leaveOut(prod llb.State, modules string) llb.State {
	cfg := map[string]any{
		"nodeModules": modules,
		"external":    b.external(),
		"out":         unbundledDir,
	}
	out := b.g.run(prod, b.step("choose the packages the bundle leaves out", "unbundled", cfg)).AddMount(unbundledDir, llb.Scratch())
	b.unbundled = &out
	return out
}

// bundle runs esbuild in compiled, the stage holding the built sources
// and every dependency, and returns the bundle laid out as the task root.
func (b *bundler) bundle(compiled llb.State) llb.State {
	g, conf := b.g, b.g.s.Build.Bundle
	entries := g.s.Runtime.Family().(runtimes.Bundled).BundleEntries(g.s.Handler)
	cfg := map[string]any{
		"esbuild":   path.Join(esbuildDir, "lib/node_modules/esbuild"),
		"entries":   entries,
		"file":      strings.TrimSuffix(entries[0], path.Ext(entries[0])),
		"format":    string(conf.Format),
		"minify":    conf.Minify,
		"sourcemap": conf.Sourcemap,
		"target":    b.target(),
		"external":  b.external(),
		"out":       bundleDir,
	}
	opts := []llb.RunOption{llb.AddMount(esbuildDir, b.tool, llb.Readonly), llb.Dir(g.outputDir(buildDir))}
	if b.unbundled != nil {
		cfg["externalFile"] = path.Join(unbundledDir, "external.json")
		opts = append(opts, llb.AddMount(unbundledDir, *b.unbundled, llb.Readonly))
	}
	s := b.step("esbuild "+g.s.Handler, "bundle", cfg)
	s.opts = append(s.opts, opts...)
	return g.run(compiled, s).AddMount(bundleDir, llb.Scratch())
}

// step runs one mode of bundleScript, mounted as a file; cfg is its JSON
// configuration, in an argument, never a shell.
func (b *bundler) step(name, mode string, cfg map[string]any) step {
	// encoding/json sorts map keys: the same configuration is the same
	// argument, and the step stays cached.
	data, _ := json.Marshal(cfg)
	script := llb.Scratch().File(llb.Mkfile("/bundle.js", 0o444, []byte(bundleScript)), llb.WithCustomName("bundle.js"))
	return step{
		name: name, declaredAt: "build.bundle",
		args: []string{"node", path.Join(bundleScriptDir, "bundle.js"), mode, string(data)},
		opts: []llb.RunOption{llb.AddMount(bundleScriptDir, script, llb.Readonly)},
	}
}

// external is build.bundle.external, never null in JSON.
func (b *bundler) external() []string {
	return append([]string{}, b.g.s.Build.Bundle.External...)
}

// target is esbuild's target: build.bundle.target, else the runtime's
// Node.js version.
func (b *bundler) target() string {
	if t := b.g.s.Build.Bundle.Target; t != "" {
		return t
	}
	return "node" + b.g.info.Version
}

// env is what the image's environment needs for the bundle: Node.js
// reads source maps only when asked to.
func (b *bundler) env() map[string]string {
	if !b.g.s.Build.Bundle.Sourcemap {
		return nil
	}
	return map[string]string{"NODE_OPTIONS": "--enable-source-maps"}
}

// description says what made the code layer, for the image's history.
func (b *bundler) description() string {
	return fmt.Sprintf("code: %s bundle of %s", lambdafile.Esbuild, b.g.s.Handler)
}
