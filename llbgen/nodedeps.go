package llbgen

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// nodeManager is one Node.js package manager: the file that selects it,
// the tool that installs, and how it installs all dependencies for the
// build and the production ones for the image.
type nodeManager struct {
	// name is how packageManager in package.json names it.
	name string
	// lockfiles select the manager; the first in the context is the one
	// it installs from. Empty for an install without a lockfile.
	lockfiles []string
	// tool is the npm package that provides the manager.
	tool string
	// version is the pinned default, when package.json does not name one;
	// "" uses the compile image's own npm.
	version string
	// cache is the manager's download cache, a cache mount; lockedCache
	// says two installs must not write it at once.
	cache       string
	lockedCache bool
	// all installs every dependency, for the build commands; prod the
	// production ones, for the image.
	all, prod []string
	// cross are the arguments that make prod fetch the target's native
	// packages; nil for a manager that cannot, whose install then takes
	// every platform's, and a pruning step keeps the target's alone.
	cross func(arch string) []string
	// crossRC, for a manager configured by a file rather than arguments,
	// is the ~/.yarnrc.yml that makes it fetch the target's packages.
	crossRC func(arch string) string
	// env configures the manager in the compile stage.
	env map[string]string
	// workspaces builds one package of a workspaces monorepo; nil for a
	// manager whose workspaces the frontend does not build.
	workspaces *workspaceInstall
}

const (
	pnpmStore  = "/root/.cache/pnpm-store"
	yarnCache  = "/root/.cache/yarn"
	berryCache = "/root/.yarn/berry/cache"
	bunCache   = "/root/.bun/install/cache"
)

// nodeManagers lists the managers, in the order their lockfiles are
// looked for.
var nodeManagers = []nodeManager{{
	name: "npm", lockfiles: []string{"package-lock.json", "npm-shrinkwrap.json"}, cache: npmCache,
	// No default version: the compile image's npm, unless packageManager
	// names one.
	tool: "npm",
	all:  []string{"npm", "ci"}, prod: []string{"npm", "ci", "--omit=dev"},
	cross:      func(arch string) []string { return []string{"--os=linux", "--cpu=" + nodeArch(arch), "--libc=glibc"} },
	workspaces: npmWorkspaces,
}, {
	name: "pnpm", lockfiles: []string{"pnpm-lock.yaml"}, version: "10.34.9", cache: pnpmStore,
	tool: "pnpm",
	all:  []string{"pnpm", "install", "--frozen-lockfile", "--store-dir=" + pnpmStore},
	// hoisted: a node_modules of real directories, since the store the
	// default layout links into does not ship.
	prod:       []string{"pnpm", "install", "--frozen-lockfile", "--prod", "--store-dir=" + pnpmStore, "--config.node-linker=hoisted"},
	cross:      func(arch string) []string { return []string{"--os=linux", "--cpu=" + nodeArch(arch), "--libc=glibc"} },
	env:        map[string]string{"PNPM_HOME": "/root/.local/share/pnpm", "npm_config_package_import_method": "copy"},
	workspaces: pnpmWorkspaces,
}, {
	name: "yarn", lockfiles: []string{"yarn.lock"}, version: "1.22.22", cache: yarnCache, lockedCache: true,
	tool: "yarn",
	all:  []string{"yarn", "install", "--frozen-lockfile", "--non-interactive", "--cache-folder", yarnCache},
	prod: []string{"yarn", "install", "--frozen-lockfile", "--non-interactive", "--production", "--cache-folder", yarnCache},
	// yarn 1 knows no target platform: --ignore-platform installs them all.
	cross: nil,
}, {
	name: "yarn-berry", lockfiles: []string{"yarn.lock"}, version: "4.18.1", cache: berryCache, lockedCache: true,
	tool: "@yarnpkg/cli-dist",
	all:  []string{"yarn", "install", "--immutable"},
	prod: []string{"yarn", "workspaces", "focus", "--all", "--production"},
	// The project's own .yarnrc.yml still wins for every other setting.
	cross: func(string) []string { return nil },
	crossRC: func(arch string) string {
		return fmt.Sprintf("supportedArchitectures:\n  os: [linux]\n  cpu: [%s]\n  libc: [glibc]\n", nodeArch(arch))
	},
	env: map[string]string{"YARN_ENABLE_GLOBAL_CACHE": "true", "YARN_GLOBAL_FOLDER": "/root/.yarn/berry",
		"YARN_ENABLE_IMMUTABLE_INSTALLS": "true", "YARN_ENABLE_TELEMETRY": "0", "YARN_NODE_LINKER": "node-modules"},
	workspaces: berryWorkspaces,
}, {
	name: "bun", lockfiles: []string{"bun.lock", "bun.lockb"}, version: "1.4.5", cache: bunCache, lockedCache: true,
	tool:  "bun",
	all:   []string{"bun", "install", "--frozen-lockfile"},
	prod:  []string{"bun", "install", "--frozen-lockfile", "--production"},
	cross: func(arch string) []string { return []string{"--os=linux", "--cpu=" + nodeArch(arch)} },
	env:   map[string]string{"BUN_INSTALL_CACHE_DIR": bunCache},
}}

// npmUnlocked installs a package.json that has no lockfile.
var npmUnlocked = nodeManager{
	name: "npm", cache: npmCache,
	all: []string{"npm", "install", "--no-package-lock"}, prod: []string{"npm", "install", "--no-package-lock", "--omit=dev"},
	cross: nodeManagers[0].cross,
}

// nodeConfigFiles are the managers' configuration files, copied with the
// manifests when the context has them.
var nodeConfigFiles = []string{".npmrc", ".yarnrc", ".yarnrc.yml", "pnpm-workspace.yaml", "bunfig.toml"}

// nodeArch is a Go architecture's name in Node.js (process.arch).
func nodeArch(goarch string) string {
	if goarch == "amd64" {
		return "x64"
	}
	return goarch
}

// nodeSetup is the manager a project uses, at a version, and its lockfile.
type nodeSetup struct {
	manager  nodeManager
	version  string
	lockfile string
}

// semver is the shape of a version a manager is installed at.
var semver = regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)

// detectNodeManager chooses the manager: build.packageManager (override),
// else package.json's packageManager field (the corepack convention,
// name@version+hash), else the lockfile, else npm without a lockfile.
func detectNodeManager(files map[string][]byte, override string) (nodeSetup, error) {
	var pkg struct {
		PackageManager string `json:"packageManager"`
	}
	if err := json.Unmarshal(files["package.json"], &pkg); err != nil {
		return nodeSetup{}, fmt.Errorf("package.json is not valid JSON (%v); fix it, or run npm init", jsonErrorAt(files["package.json"], err))
	}
	yarnBerry := bytes.Contains(files["yarn.lock"], []byte("__metadata:"))
	if override != "" {
		return overriddenNodeManager(files, override, pkg.PackageManager, yarnBerry)
	}
	if pkg.PackageManager != "" {
		name, version, _ := strings.Cut(pkg.PackageManager, "@")
		version, _, _ = strings.Cut(version, "+")
		if !semver.MatchString(version) {
			return nodeSetup{}, fmt.Errorf("package.json: packageManager %q has no exact version; write it as name@x.y.z, like pnpm@10.34.9", pkg.PackageManager)
		}
		if name == "yarn" && !strings.HasPrefix(version, "1.") {
			name = "yarn-berry"
		}
		if m, lock, ok := managerNamed(files, name); ok {
			if lock == "" {
				return nodeSetup{}, fmt.Errorf("package.json names %s as its packageManager, and there is no %s beside it; run %s install and commit the lockfile", pkg.PackageManager, m.lockfiles[0], strings.TrimSuffix(name, "-berry"))
			}
			return nodeSetup{manager: m, version: version, lockfile: lock}, nil
		}
		return nodeSetup{}, fmt.Errorf("package.json: packageManager %q is not one the frontend installs with; use npm, pnpm, yarn or bun", pkg.PackageManager)
	}
	for _, m := range nodeManagers {
		if m.name == "yarn" && yarnBerry || m.name == "yarn-berry" && !yarnBerry {
			continue // yarn.lock's format says which yarn wrote it
		}
		for _, lock := range m.lockfiles {
			if _, ok := files[lock]; ok {
				return nodeSetup{manager: m, version: m.version, lockfile: lock}, nil
			}
		}
	}
	return nodeSetup{manager: npmUnlocked}, nil
}

// jsonErrorAt names the line of a JSON syntax error.
func jsonErrorAt(data []byte, err error) string {
	var se *json.SyntaxError
	if !errors.As(err, &se) {
		return err.Error()
	}
	line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
	return "line " + strconv.Itoa(line) + ": " + se.Error()
}

// overriddenNodeManager is the manager build.packageManager names, at its
// version, else at package.json's version of the same manager, else at the
// pinned default. yarn is berry when the version or yarn.lock says so.
func overriddenNodeManager(files map[string][]byte, override, declared string, yarnBerry bool) (nodeSetup, error) {
	name, version, _ := strings.Cut(override, "@")
	if version == "" {
		if dname, dversion, _ := strings.Cut(declared, "@"); dname == name {
			version, _, _ = strings.Cut(dversion, "+")
		}
	}
	if name == "yarn" && (version != "" && !strings.HasPrefix(version, "1.") || version == "" && yarnBerry) {
		name = "yarn-berry"
	}
	m, lock, ok := managerNamed(files, name)
	switch {
	case !ok:
		return nodeSetup{}, fmt.Errorf("build.packageManager: %q is not a Node.js package manager", override)
	case lock == "":
		return nodeSetup{}, fmt.Errorf("build.packageManager is %s, and there is no %s in the build context; run %s install and commit it", override, m.lockfiles[0], strings.TrimSuffix(name, "-berry"))
	}
	return nodeSetup{manager: m, version: cmp.Or(version, m.version), lockfile: lock}, nil
}

// managerNamed is the manager called name, and the first of its lockfiles
// that the context has, or "" when it has none; ok is false when no
// manager has the name.
func managerNamed(files map[string][]byte, name string) (m nodeManager, lock string, ok bool) {
	i := slices.IndexFunc(nodeManagers, func(m nodeManager) bool { return m.name == name })
	if i < 0 {
		return nodeManager{}, "", false
	}
	m = nodeManagers[i]
	for _, lock := range m.lockfiles {
		if _, found := files[lock]; found {
			return m, lock, true
		}
	}
	return m, "", true
}
