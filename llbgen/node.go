package llbgen

import (
	"cmp"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/moby/buildkit/client/llb"
)

// npmCache is npm's download cache. The cache mount sits here and never on
// node_modules, which npm ci deletes before every install.
const npmCache = "/root/.npm"

// nodeRecipe builds Node.js functions.
type nodeRecipe struct{}

func (nodeRecipe) manifests(*lambdafile.File) []string {
	files := []string{"package.json"}
	for _, m := range nodeManagers {
		for _, lock := range m.lockfiles {
			if !slices.Contains(files, lock) {
				files = append(files, lock)
			}
		}
	}
	return append(files, nodeConfigFiles...)
}

func (nodeRecipe) dependencies(s *lambdafile.File, files map[string][]byte) Dependencies {
	if _, ok := files["package.json"]; !ok {
		return Dependencies{}
	}
	setup, err := detectNodeManager(files, s.Build.PackageManager)
	if err != nil {
		return Dependencies{}
	}
	name, _, _ := strings.Cut(setup.manager.name, "-")
	d := Dependencies{Manager: name, Version: setup.version, Lockfile: cmp.Or(setup.lockfile, "package.json"), Locked: setup.lockfile != ""}
	if !d.Locked {
		d.Lock = "npm install, then commit package-lock.json"
	}
	return d
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
	var b *bundler
	if g.s.Build.Bundle.Enabled() {
		b = g.newBundler(compile)
	}
	if !g.hasFile("package.json") {
		for _, f := range g.recipeFiles() {
			if f != "package.json" && !slices.Contains(nodeConfigFiles, f) {
				return nil, &ContextError{Path: "runtime", Msg: f + " has no package.json beside it; a lockfile alone does not say what to install: add package.json, or remove " + f}
			}
		}
		opts, l := outputOpts{exclude: []string{"node_modules"}}, &layers{}
		if b != nil {
			opts.bundle, l.codeDescription, l.env = b.bundle, b.description(), b.env()
		}
		l.build, l.code = g.output(compile, opts)
		return l, nil
	}
	setup, err := detectNodeManager(g.opt.Files, g.s.Build.PackageManager)
	if err != nil {
		return nil, &ContextError{Path: g.managerChoice(), Msg: err.Error()}
	}
	m := setup.manager
	for _, k := range slices.Sorted(maps.Keys(m.env)) {
		compile = compile.AddEnv(k, m.env[k])
	}
	if setup.version != "" {
		compile = g.nodeTool(compile, m.tool+"@"+setup.version)
	}
	var ws *nodeWorkspace
	exclude := []string{"node_modules"}
	if g.s.Workspace != "" {
		if ws, err = readWorkspace(g.s.Workspace, setup, g.opt.Files); err != nil {
			return nil, &ContextError{Path: "workspace", Msg: err.Error()}
		}
		exclude = append(exclude, "**/node_modules")
	}
	manifests := compile
	if ws != nil {
		manifests = g.copyWorkspaceManifests(compile, setup.lockfile)
	} else {
		manifests = g.copyPresent(manifests, append([]string{"package.json", setup.lockfile}, nodeConfigFiles...)...)
	}
	sharing := llb.CacheMountShared
	if m.lockedCache {
		sharing = llb.CacheMountLocked
	}
	cache := g.cacheMount(m.cache, m.name, sharing)
	// Build tools run here, so the full install is for this platform; only
	// the production install, which ships, is for the target's.
	all := g.run(manifests, step{name: strings.Join(m.all, " "), args: m.all, declaredAt: "runtime", fetches: true, opts: []llb.RunOption{cache}}).Root()
	prodArgs, modules, prodStage, prune := m.prod, path.Join(buildDir, "node_modules"), manifests, false
	if ws != nil {
		prodArgs, modules = m.workspaces.prod(m, ws)
	}
	prodName := strings.Join(prodArgs, " ")
	if g.cross {
		switch {
		case m.cross == nil:
			prodArgs, prune = append(slices.Clone(prodArgs), "--ignore-platform"), true
		default:
			prodArgs = append(slices.Clone(prodArgs), m.cross(g.target.Architecture)...)
		}
		if m.crossRC != nil {
			rc := llb.Scratch().File(llb.Mkfile("/.yarnrc.yml", 0o644, []byte(m.crossRC(g.target.Architecture))))
			prodStage = g.copy(manifests, "supportedArchitectures for "+g.target.Architecture, rc, "/.yarnrc.yml", "/root/.yarnrc.yml", nil)
		}
	}
	prod := g.run(prodStage, step{name: prodName, args: prodArgs, declaredAt: "runtime", fetches: true, opts: []llb.RunOption{cache}}).Root()
	if prune {
		prod = g.run(prod, step{
			name: "remove the packages of other platforms", declaredAt: "runtime",
			args: []string{"node", "-e", pruneOtherPlatforms, modules, "linux", nodeArch(g.target.Architecture), "glibc"},
		}).Root()
	}

	nested := ws != nil && ws.nested
	if nested {
		prod = g.shipNestedModules(prod, modules, ws)
	}

	opts := outputOpts{installed: "node_modules", exclude: exclude}
	if b != nil {
		return b.layers(all, prod, modules, opts), nil
	}
	// A workspace's own package links are left out of node_modules: the
	// packages the function depends on ship in the code layer, whole.
	var links []string
	if ws != nil {
		opts.packages, links = ws.packages, ws.links
	}
	out, code := g.output(all, opts)
	tree := llb.Copy(prod, modules, "/node_modules", &llb.CopyInfo{CreateDestPath: true, ExcludePatterns: links})
	// package.json rides with the dependencies: Node reads its "type" to
	// load .js files as ES modules, and it changes when they do. One file
	// op, so that the image gets one layer of dependencies.
	layer := llb.Copy(prod, modules, taskRoot+"/node_modules", &llb.CopyInfo{Mode: readable, CreateDestPath: true, ExcludePatterns: links}).
		Copy(prod, path.Join(buildDir, g.s.Workspace, "package.json"), taskRoot+"/package.json", &llb.CopyInfo{Mode: readable})
	if nested {
		tree = tree.Copy(prod, nestedModulesDir, "/node_modules", &llb.CopyInfo{CopyDirContentsOnly: true, CreateDestPath: true})
		layer = layer.Copy(prod, nestedModulesDir, taskRoot+"/node_modules", &llb.CopyInfo{Mode: readable, CopyDirContentsOnly: true, CreateDestPath: true})
	}
	depsTree := llb.Scratch().File(tree)
	deps := llb.Scratch().File(layer, g.stepName("production node_modules and package.json"))
	return &layers{
		build: out, depsTree: depsTree, deps: deps, code: code,
		depsDescription: prodName,
	}, nil
}

// readWorkspace reads the root's lockfile for the workspace dir, with the
// manager that wrote it.
func readWorkspace(dir string, setup nodeSetup, files map[string][]byte) (*nodeWorkspace, error) {
	m := setup.manager
	switch {
	case setup.lockfile == "":
		return nil, fmt.Errorf("workspace needs the monorepo's lockfile at the root of the build context (package-lock.json, pnpm-lock.yaml or yarn.lock); run the install there and commit it")
	case m.workspaces == nil:
		return nil, fmt.Errorf("workspace builds npm, pnpm and yarn 2+ workspaces; %s %s workspaces are not supported yet", m.name, setup.version)
	}
	return m.workspaces.read(dir, setup.lockfile, files[setup.lockfile])
}

// toolDir is where a package manager the compile image lacks is installed.
const toolDir = "/opt/buildkit-lambda/package-manager"

// nodeTool installs a package manager with the compile image's npm, into a
// directory of its own put first on the PATH.
func (g *gen) nodeTool(compile llb.State, pkg string) llb.State {
	install := g.run(compile, step{
		name: "npm install --global " + pkg, args: []string{"npm", "install", "--global", "--prefix", toolDir, pkg},
		declaredAt: "runtime", fetches: true, opts: []llb.RunOption{g.cacheMount(npmCache, "npm", llb.CacheMountShared)},
	})
	tool := install.AddMount(toolDir, llb.Scratch())
	path, _, err := compile.GetEnv(g.ctx, "PATH")
	if err != nil || path == "" {
		path = "/usr/local/bin:/usr/bin:/bin"
	}
	return g.copy(compile, pkg, tool, "/", toolDir, &llb.CopyInfo{CopyDirContentsOnly: true, CreateDestPath: true}).
		AddEnv("PATH", toolDir+"/bin:"+path)
}

// recipeFiles are the files of the recipe's manifests that the context has.
func (g *gen) recipeFiles() []string {
	var files []string
	for _, f := range manifestFiles(g.s) {
		if g.hasFile(f) {
			files = append(files, f)
		}
	}
	return files
}

// pruneOtherPlatforms removes from a node_modules tree the packages whose
// os, cpu or libc (npm's package.json fields) rule out the target, for a
// manager that installed every platform's. Arguments: the tree, then the
// target's os, cpu and libc.
const pruneOtherPlatforms = `
const fs = require("fs"), path = require("path");
const [dir, os, cpu, libc] = process.argv.slice(1);
const fits = (list, v) => !Array.isArray(list) || list.length === 0 || list.includes(v) ||
  (list.every((x) => x.startsWith("!")) && !list.includes("!" + v));
function walk(d) {
  if (!fs.existsSync(d)) return;
  for (const name of fs.readdirSync(d)) {
    if (name.startsWith(".")) continue;
    const p = path.join(d, name);
    if (name.startsWith("@")) { walk(p); continue; }
    let pkg;
    try { pkg = JSON.parse(fs.readFileSync(path.join(p, "package.json"), "utf8")); } catch { continue; }
    if (!fits(pkg.os, os) || !fits(pkg.cpu, cpu) || !fits(pkg.libc, libc)) {
      fs.rmSync(p, { recursive: true, force: true });
      console.log("removed " + path.relative(dir, p) + ", which is for another platform");
      continue;
    }
    walk(path.join(p, "node_modules"));
  }
}
walk(dir);
`

// workspaceMark is the file of the compile stage that names the workspace a
// build installs.
const workspaceMark = "/.buildkit-lambda-workspace"

// copyWorkspaceManifests copies the package.json of every workspace, and
// the lockfile, for the install.
//
// The same copy writes workspaceMark, so that the functions of one
// monorepo, which bake builds side by side, share no step that reads the
// build context. When builds running at once share such a step, each
// importing its own registry cache, BuildKit re-runs steps of one build
// that it had found in its cache once another build runs the shared step
// (moby/buildkit#4674, docker/buildx#414): on a fresh CI builder, every
// service's install ran again. The copy is of a few kilobytes; the
// installs after it differ per function anyway.
func (g *gen) copyWorkspaceManifests(compile llb.State, lockfile string) llb.State {
	manifests := llb.Copy(g.opt.Context, "/", buildDir, &llb.CopyInfo{
		CopyDirContentsOnly: true, CreateDestPath: true,
		IncludePatterns: append([]string{"package.json", "**/package.json", lockfile}, nodeConfigFiles...),
		ExcludePatterns: []string{"**/node_modules"},
	}).Mkfile(workspaceMark, 0o444, []byte(g.s.Workspace+"\n"))
	return compile.File(manifests, g.stepName("copy every package.json and "+lockfile))
}
