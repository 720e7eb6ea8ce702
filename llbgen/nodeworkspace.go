package llbgen

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
)

// npmWorkspace is a function that is one package of an npm workspaces
// monorepo, as the root's package-lock.json describes it.
type npmWorkspace struct {
	// links are the names of every workspace package, which node_modules
	// holds as links into the sources; they never ship as links.
	links []string
	// packages are the workspace packages the function depends on, by
	// their production dependencies, transitively, sorted by name.
	packages []workspacePackage
}

// readNpmWorkspace reads the lockfile for the workspace dir. Only npm
// workspaces are read: npm installs one workspace's production closure
// with --workspace, which the other managers do in ways of their own.
func readNpmWorkspace(dir string, setup nodeSetup, files map[string][]byte) (*npmWorkspace, error) {
	if setup.manager.name != "npm" || setup.lockfile == "" {
		return nil, fmt.Errorf("workspace needs npm workspaces with a package-lock.json at the root of the build context; %s workspaces are not supported yet", setup.manager.name)
	}
	var lock struct {
		Packages map[string]struct {
			Link                 bool              `json:"link"`
			Resolved             string            `json:"resolved"`
			Dependencies         map[string]string `json:"dependencies"`
			OptionalDependencies map[string]string `json:"optionalDependencies"`
		} `json:"packages"`
	}
	if err := json.Unmarshal(files[setup.lockfile], &lock); err != nil {
		return nil, fmt.Errorf("%s is not valid JSON (%s)", setup.lockfile, jsonErrorAt(files[setup.lockfile], err))
	}
	if len(lock.Packages) == 0 {
		return nil, fmt.Errorf("%s has no \"packages\"; workspaces need lockfileVersion 2 or newer, which npm 7 and later write", setup.lockfile)
	}
	if _, ok := lock.Packages[dir]; !ok {
		return nil, fmt.Errorf("%s is not a workspace of the root package.json (%s has no entry for it); add it to \"workspaces\" and run npm install", dir, setup.lockfile)
	}
	links := map[string]string{}
	for key, p := range lock.Packages {
		if name, ok := cutNodeModules(key); ok && p.Link {
			links[name] = p.Resolved
		}
	}
	ws := &npmWorkspace{links: slices.Sorted(maps.Keys(links))}
	seen := map[string]bool{dir: true}
	queue := []string{dir}
	for len(queue) > 0 {
		p := lock.Packages[queue[0]]
		queue = queue[1:]
		deps := slices.Concat(slices.Sorted(maps.Keys(p.Dependencies)), slices.Sorted(maps.Keys(p.OptionalDependencies)))
		for _, name := range deps {
			target, isLink := links[name]
			if !isLink || seen[target] {
				continue
			}
			seen[target] = true
			ws.packages = append(ws.packages, workspacePackage{name: name, dir: target})
			queue = append(queue, target)
		}
	}
	slices.SortFunc(ws.packages, func(a, b workspacePackage) int { return strings.Compare(a.name, b.name) })
	return ws, nil
}

// cutNodeModules is the package name of a top-level node_modules entry of
// a lockfile, like @acme/lib for node_modules/@acme/lib.
func cutNodeModules(key string) (string, bool) {
	name, ok := strings.CutPrefix(key, "node_modules/")
	return name, ok && name != "" && !strings.Contains(name, "node_modules/")
}
