package llbgen

import (
	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/moby/buildkit/client/llb"
)

// npmCache is npm's download cache. The cache mount sits here and never on
// node_modules, which npm ci deletes before every install.
const npmCache = "/root/.npm"

// nodeRecipe builds Node.js functions.
type nodeRecipe struct{}

func (nodeRecipe) manifests(*lambdafile.File) []string {
	return []string{"package.json", "package-lock.json"}
}

func (nodeRecipe) dependencies(_ *lambdafile.File, files map[string][]byte) Dependencies {
	if _, ok := files["package.json"]; !ok {
		return Dependencies{}
	}
	return Dependencies{Manager: "npm", Lockfile: "package-lock.json", Locked: true}
}

// compileImage is the base image itself: it has node and npm.
func (nodeRecipe) compileImage(g *gen) (string, error) { return g.info.Base, nil }

// build builds a Node.js function. Dependencies are installed twice from the
// same lockfile and cache: all of them for the build commands, and the
// production ones alone for the image, so devDependencies never reach it.
func (nodeRecipe) build(g *gen, compile llb.State) (*layers, error) {
	compile = compile.AddEnv("NPM_CONFIG_CACHE", npmCache).
		AddEnv("NPM_CONFIG_UPDATE_NOTIFIER", "false").
		AddEnv("NPM_CONFIG_FUND", "false").
		AddEnv("NPM_CONFIG_AUDIT", "false")
	if !g.hasFile("package.json") {
		out, code := g.output(compile, nil, nil, "", "node_modules")
		return &layers{build: out, code: code, codeDescription: "code: " + g.s.Build.Output}, nil
	}
	if !g.hasFile("package-lock.json") {
		return nil, &ContextError{Path: "runtime", Msg: "package.json has no package-lock.json beside it; npm ci installs exactly what the lockfile says: run npm install and commit package-lock.json"}
	}
	manifests := g.copy(compile, "copy package.json", g.opt.Context, "/package.json", buildDir+"/package.json", nil)
	manifests = g.copy(manifests, "copy package-lock.json", g.opt.Context, "/package-lock.json", buildDir+"/package-lock.json", nil)

	cache := g.cacheMount(npmCache, "npm", llb.CacheMountShared)
	// Build tools run here, so the full install is for this platform; only
	// the production install, which ships, is for the target's.
	all := g.run(manifests, step{name: "npm ci", args: []string{"npm", "ci"}, declaredAt: "runtime", fetches: true, opts: []llb.RunOption{cache}}).Root()
	prod := g.run(manifests, step{name: "npm ci --omit=dev", args: append([]string{"npm", "ci", "--omit=dev"}, g.npmPlatformFlags()...), declaredAt: "runtime", fetches: true, opts: []llb.RunOption{cache}}).Root()

	out, code := g.output(all, nil, nil, "node_modules", "node_modules")
	depsTree := llb.Scratch().File(llb.Copy(prod, buildDir+"/node_modules", "/node_modules", &llb.CopyInfo{CreateDestPath: true}))
	deps := g.copy(llb.Scratch(), "production node_modules", prod, buildDir+"/node_modules", taskRoot+"/node_modules", &llb.CopyInfo{Mode: readable, CreateDestPath: true})
	// package.json rides with the dependencies: Node reads its "type" to
	// load .js files as ES modules, and it changes when they do.
	deps = g.copy(deps, "package.json", prod, buildDir+"/package.json", taskRoot+"/package.json", &llb.CopyInfo{Mode: readable})
	return &layers{
		build: out, depsTree: depsTree, deps: deps, code: code,
		depsDescription: "npm ci --omit=dev", codeDescription: "code: " + g.s.Build.Output,
	}, nil
}

// npmPlatformFlags makes npm fetch the optional native packages of the
// target platform when it differs from the one npm runs on.
func (g *gen) npmPlatformFlags() []string {
	if !g.cross {
		return nil
	}
	return []string{"--os=linux", "--cpu=" + g.target.Architecture, "--libc=glibc"}
}
