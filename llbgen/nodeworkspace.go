package llbgen

import (
	"encoding/json"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"

	"github.com/goccy/go-yaml"
)

// nodeWorkspace is a function that is one package of a workspaces
// monorepo, as the root's lockfile describes it.
type nodeWorkspace struct {
	// dir is the function's package, in the monorepo; name is its name,
	// when the lockfile says it.
	dir, name string
	// links are the names of every workspace package, which the
	// production install leaves in node_modules as links into the
	// sources, or as copies of their manifests alone; they never ship
	// from there.
	links []string
	// packages are the workspace packages the function depends on, by
	// their production dependencies, transitively, sorted by name.
	packages []workspacePackage
	// nested says the install may leave, in the directory of the
	// workspace or of one of its packages, versions that conflict with
	// the root's: they ship from there (see shipNestedModules). npm's
	// lockfile says where each package goes; yarn's does not, so yarn's
	// workspaces are taken to have some.
	nested bool
}

// workspaceInstall is how a manager builds one package of its workspaces:
// it reads the root's lockfile, and installs that package's production
// closure alone. The managers whose workspaces have none are refused.
type workspaceInstall struct {
	// read reads the lockfile for the workspace dir.
	read func(dir, lockfile string, lock []byte) (*nodeWorkspace, error)
	// prod is the production install of the workspace's closure; modules
	// is the node_modules it fills, in the compile stage.
	prod func(m nodeManager, ws *nodeWorkspace) (args []string, modules string)
}

// npmWorkspaces: npm ci --workspace installs one workspace's production
// closure into the root's node_modules.
var npmWorkspaces = &workspaceInstall{
	read: readNpmWorkspace,
	prod: func(m nodeManager, ws *nodeWorkspace) ([]string, string) {
		return append(slices.Clone(m.prod), "--workspace="+ws.dir), path.Join(buildDir, "node_modules")
	},
}

// pnpmDeployDir is where pnpm deploy writes a workspace package.
const pnpmDeployDir = "/deploy"

// pnpmWorkspaces: pnpm's hoisted linker ignores --filter and installs
// every workspace's dependencies, so the closure comes from pnpm deploy,
// which installs one package's production dependencies from the shared
// lockfile into a directory of its own, the workspace packages it
// depends on injected as copies (of their manifests alone here, since the
// sources are not copied yet: the code layer ships them).
var pnpmWorkspaces = &workspaceInstall{
	read: readPnpmWorkspace,
	prod: func(_ nodeManager, ws *nodeWorkspace) ([]string, string) {
		return []string{"pnpm", "--filter", "./" + ws.dir, "deploy", "--prod", "--frozen-lockfile", "--store-dir=" + pnpmStore,
			"--config.node-linker=hoisted", "--config.inject-workspace-packages=true", pnpmDeployDir}, path.Join(pnpmDeployDir, "node_modules")
	},
}

// berryWorkspaces: yarn 2+'s workspaces focus installs one workspace's
// production closure into the root's node_modules, as npm does, leaving
// the workspace packages in it as links. It takes the workspace's name.
var berryWorkspaces = &workspaceInstall{
	read: readBerryWorkspace,
	prod: func(_ nodeManager, ws *nodeWorkspace) ([]string, string) {
		return []string{"yarn", "workspaces", "focus", ws.name, "--production"}, path.Join(buildDir, "node_modules")
	},
}

// readNpmWorkspace reads package-lock.json for the workspace dir.
func readNpmWorkspace(dir, lockfile string, data []byte) (*nodeWorkspace, error) {
	var lock struct {
		Packages map[string]struct {
			Link                 bool              `json:"link"`
			Resolved             string            `json:"resolved"`
			Dependencies         map[string]string `json:"dependencies"`
			OptionalDependencies map[string]string `json:"optionalDependencies"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(data, &lock); err != nil {
		return nil, fmt.Errorf("%s is not valid JSON (%s)", lockfile, jsonErrorAt(data, err))
	}
	if len(lock.Packages) == 0 {
		return nil, fmt.Errorf("%s has no \"packages\"; workspaces need lockfileVersion 2 or newer, which npm 7 and later write", lockfile)
	}
	if _, ok := lock.Packages[dir]; !ok {
		return nil, fmt.Errorf("%s is not a workspace of the root package.json (%s has no entry for it); add it to \"workspaces\" and run npm install", dir, lockfile)
	}
	links := map[string]string{}
	for key, p := range lock.Packages {
		if name, ok := cutNodeModules(key); ok && p.Link {
			links[name] = p.Resolved
		}
	}
	ws := walkWorkspace(dir, slices.Sorted(maps.Keys(links)), func(pkg string) map[string]string {
		p := lock.Packages[pkg]
		deps := map[string]string{}
		for _, name := range slices.Concat(slices.Collect(maps.Keys(p.Dependencies)), slices.Collect(maps.Keys(p.OptionalDependencies))) {
			if target, ok := links[name]; ok {
				deps[name] = target
			}
		}
		return deps
	})
	dirs := []string{dir}
	for _, p := range ws.packages {
		dirs = append(dirs, p.dir)
	}
	for key := range lock.Packages {
		ws.nested = ws.nested || slices.ContainsFunc(dirs, func(d string) bool { return strings.HasPrefix(key, d+"/node_modules/") })
	}
	return ws, nil
}

// pnpmSelectorChars are what pnpm's --filter reads as more than a
// directory: a directory with one of them cannot be selected alone.
const pnpmSelectorChars = "{}[]!^*"

// readPnpmWorkspace reads pnpm-lock.yaml for the workspace dir: its
// importers are the workspace packages, and a dependency whose version is
// link:PATH is another one of them, at PATH from the importer.
func readPnpmWorkspace(dir, lockfile string, data []byte) (*nodeWorkspace, error) {
	type deps map[string]struct {
		Version string `yaml:"version"`
	}
	var lock struct {
		Importers map[string]struct {
			Dependencies         deps `yaml:"dependencies"`
			OptionalDependencies deps `yaml:"optionalDependencies"`
		} `yaml:"importers"`
	}
	if err := yaml.Unmarshal(data, &lock); err != nil {
		return nil, fmt.Errorf("reading %s: %v", lockfile, err)
	}
	if len(lock.Importers) == 0 {
		return nil, fmt.Errorf("%s has no \"importers\"; it is not a workspace's lockfile: list the packages in pnpm-workspace.yaml and run pnpm install", lockfile)
	}
	if _, ok := lock.Importers[dir]; !ok {
		return nil, fmt.Errorf("%s is not a package of the pnpm workspace (%s has no importer for it); add it to pnpm-workspace.yaml and run pnpm install", dir, lockfile)
	}
	if strings.ContainsAny(dir, pnpmSelectorChars) || strings.HasSuffix(dir, "...") {
		return nil, fmt.Errorf("%s has a character pnpm's --filter gives a meaning to (%s, or a trailing ...); rename the directory", dir, pnpmSelectorChars)
	}
	linked := func(importer string) map[string]string {
		imp := lock.Importers[importer]
		out := map[string]string{}
		for _, d := range []deps{imp.Dependencies, imp.OptionalDependencies} {
			for name, dep := range d {
				if rel, ok := strings.CutPrefix(dep.Version, "link:"); ok {
					out[name] = path.Join(importer, rel)
				}
			}
		}
		return out
	}
	links := map[string]bool{}
	for importer := range lock.Importers {
		for name := range linked(importer) {
			links[name] = true
		}
	}
	return walkWorkspace(dir, slices.Sorted(maps.Keys(links)), linked), nil
}

// readBerryWorkspace reads yarn 2+'s yarn.lock for the workspace dir: an
// entry resolved as NAME@workspace:PATH is a workspace package, and a
// dependency on workspace:RANGE is one of them, by name.
func readBerryWorkspace(dir, lockfile string, data []byte) (*nodeWorkspace, error) {
	var lock map[string]struct {
		Resolution   string            `yaml:"resolution"`
		Dependencies map[string]string `yaml:"dependencies"`
	}
	if err := yaml.Unmarshal(data, &lock); err != nil {
		return nil, fmt.Errorf("reading %s: %v", lockfile, err)
	}
	dirs, names := map[string]string{}, map[string]string{}
	deps := map[string]map[string]string{}
	for _, e := range lock {
		name, wsDir, ok := strings.Cut(e.Resolution, "@workspace:")
		if !ok || name == "" {
			continue
		}
		wsDir = path.Clean(wsDir)
		dirs[name], names[wsDir], deps[wsDir] = wsDir, name, e.Dependencies
	}
	name, ok := names[dir]
	if !ok {
		return nil, fmt.Errorf("%s is not a workspace of the root package.json (%s has no entry for it); add it to \"workspaces\" and run yarn install", dir, lockfile)
	}
	var links []string
	for n, d := range dirs {
		if d != "." {
			links = append(links, n)
		}
	}
	slices.Sort(links)
	ws := walkWorkspace(dir, links, func(pkg string) map[string]string {
		out := map[string]string{}
		for n, r := range deps[pkg] {
			if strings.HasPrefix(r, "workspace:") && dirs[n] != "" {
				out[n] = dirs[n]
			}
		}
		return out
	})
	ws.name, ws.nested = name, true
	return ws, nil
}

// walkWorkspace follows the links from the workspace dir: linked gives a
// workspace package's own links, by name, to the directories they point
// at. The result lists every package reached once, sorted by name.
func walkWorkspace(dir string, links []string, linked func(dir string) map[string]string) *nodeWorkspace {
	ws := &nodeWorkspace{dir: dir, links: links}
	seen := map[string]bool{dir: true}
	for queue := []string{dir}; len(queue) > 0; queue = queue[1:] {
		next := linked(queue[0])
		for _, name := range slices.Sorted(maps.Keys(next)) {
			target := next[name]
			if seen[target] {
				continue
			}
			seen[target] = true
			ws.packages = append(ws.packages, workspacePackage{name: name, dir: target})
			queue = append(queue, target)
		}
	}
	slices.SortFunc(ws.packages, func(a, b workspacePackage) int { return strings.Compare(a.name, b.name) })
	return ws
}

// cutNodeModules is the package name of a top-level node_modules entry of
// a lockfile, like @acme/lib for node_modules/@acme/lib.
func cutNodeModules(key string) (string, bool) {
	name, ok := strings.CutPrefix(key, "node_modules/")
	return name, ok && name != "" && !strings.Contains(name, "node_modules/")
}
