package llbgen

import (
	"path"

	"github.com/moby/buildkit/client/llb"
)

// nestedModulesDir is where the compile stage gathers the node_modules of
// the workspace packages a function depends on, as
// <name>/node_modules, laid out as they go into the task root's
// node_modules.
const nestedModulesDir = "/workspace-node_modules"

// shipNestedModules moves into place the node_modules that npm and yarn 2+
// leave in a workspace's own directory, for the versions of a package that
// conflict with the one in the root's node_modules. The function's code
// goes to the task root, where Node looks in the task root's node_modules
// first: the workspace's own versions go there, and the root's version of
// each conflicting package goes into the node_modules of every package
// that resolves to it, as npm itself nests a package that cannot be
// hoisted. The workspace packages the function depends on ship their own
// node_modules from nestedModulesDir.
//
// Node runs it, with arguments rather than a shell, and it reads no value
// of lambda.yaml but the directories.
func (g *gen) shipNestedModules(prod llb.State, modules string, ws *nodeWorkspace) llb.State {
	args := []string{"node", "-e", mergeNestedModules, modules, path.Join(buildDir, ws.dir), nestedModulesDir}
	for _, p := range ws.packages {
		args = append(args, p.name, path.Join(buildDir, p.dir))
	}
	return g.run(prod, step{name: "move the workspace's own node_modules into place", args: args, declaredAt: "workspace"}).Root()
}

// mergeNestedModules is the script of shipNestedModules. Arguments: the
// root's node_modules, the workspace's directory, the directory that
// gathers the packages' node_modules, then each workspace package the
// function depends on, as a name and a directory.
const mergeNestedModules = `
const fs = require("fs"), path = require("path");
const [root, workspace, gathered, ...pkgs] = process.argv.slice(1);
const packagesIn = (d) => {
  if (!fs.existsSync(d)) return [];
  return fs.readdirSync(d).filter((n) => !n.startsWith(".")).sort().flatMap((n) =>
    n.startsWith("@") ? fs.readdirSync(path.join(d, n)).sort().map((s) => n + "/" + s) : [n]);
};
const dependsOn = (dir, name) => {
  let pkg;
  try { pkg = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8")); } catch { return false; }
  return [pkg.dependencies, pkg.optionalDependencies, pkg.peerDependencies].some((d) => d && name in d);
};
const copyTree = (from, to) => fs.cpSync(from, to, { recursive: true, verbatimSymlinks: true });
// Overlay file systems refuse to rename a directory of a lower layer.
const move = (from, to) => {
  fs.mkdirSync(path.dirname(to), { recursive: true });
  try { fs.renameSync(from, to); } catch (e) {
    if (e.code !== "EXDEV") throw e;
    copyTree(from, to);
    fs.rmSync(from, { recursive: true });
  }
};
// The packages under dir that resolve name to the root's copy: those that
// depend on it, with no copy of their own nor in a node_modules between
// them and the root.
function resolvingToRoot(dir, name, shadowed, seen, out) {
  for (const n of packagesIn(dir)) {
    const p = path.join(dir, n);
    const real = fs.realpathSync(p);
    if (seen.has(real)) continue;
    seen.add(real);
    const own = new Set(packagesIn(path.join(p, "node_modules")));
    if (!own.has(name) && !shadowed.has(name) && dependsOn(p, name)) out.push(p);
    resolvingToRoot(path.join(p, "node_modules"), name, new Set([...shadowed, ...own]), seen, out);
  }
  return out;
}
const nested = path.join(workspace, "node_modules");
const names = packagesIn(nested);
const conflicts = names.filter((n) => fs.existsSync(path.join(root, n)));
for (const n of conflicts) {
  for (const p of resolvingToRoot(root, n, new Set(), new Set(), [])) {
    copyTree(path.join(root, n), path.join(p, "node_modules", n));
    console.log("kept the root's " + n + " for " + path.relative(root, p));
  }
}
for (const n of names) {
  fs.rmSync(path.join(root, n), { recursive: true, force: true });
  move(path.join(nested, n), path.join(root, n));
  console.log("moved " + path.relative(path.dirname(root), path.join(nested, n)) + " to node_modules");
}
fs.mkdirSync(gathered, { recursive: true });
for (let i = 0; i < pkgs.length; i += 2) {
  const from = path.join(pkgs[i + 1], "node_modules");
  if (packagesIn(from).length === 0) continue;
  move(from, path.join(gathered, pkgs[i], "node_modules"));
  console.log("shipping " + pkgs[i] + "'s own node_modules");
}
`
