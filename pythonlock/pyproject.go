package pythonlock

import (
	"fmt"
	"maps"
	"slices"

	"github.com/pelletier/go-toml/v2"
)

// pyproject is what the frontend reads of pyproject.toml.
type pyproject struct {
	Project *struct {
		Dependencies []string `toml:"dependencies"`
	} `toml:"project"`
	Tool struct {
		Poetry *struct {
			Dependencies map[string]any `toml:"dependencies"`
			PackageMode  *bool          `toml:"package-mode"`
		} `toml:"poetry"`
	} `toml:"tool"`
	BuildSystem *struct {
		BuildBackend string `toml:"build-backend"`
	} `toml:"build-system"`
}

func readPyproject(data []byte) (*pyproject, error) {
	var p pyproject
	if err := toml.Unmarshal(data, &p); err != nil {
		return nil, fmt.Errorf("reading pyproject.toml: %w", err)
	}
	return &p, nil
}

// mainDependencies are the project's own runtime dependencies: PEP 621's
// [project] dependencies, else Poetry's [tool.poetry.dependencies] less
// python itself.
func (p *pyproject) mainDependencies() ([]requirement, error) {
	if p.Project != nil && len(p.Project.Dependencies) > 0 {
		var out []requirement
		for _, d := range p.Project.Dependencies {
			r, err := parseRequirement(d)
			if err != nil {
				return nil, fmt.Errorf("reading pyproject.toml: [project] dependencies: %w", err)
			}
			out = append(out, r)
		}
		return out, nil
	}
	var out []requirement
	if p.Tool.Poetry != nil {
		for _, name := range sortedKeys(p.Tool.Poetry.Dependencies) {
			if normalize(name) != "python" {
				out = append(out, poetryDependency(name, p.Tool.Poetry.Dependencies[name])...)
			}
		}
	}
	return out, nil
}

// isPoetryPackage says whether Poetry would install the project itself:
// unless package-mode is false, a Poetry project is a package.
func (p *pyproject) isPoetryPackage() bool {
	return p.BuildSystem != nil && (p.Tool.Poetry == nil || p.Tool.Poetry.PackageMode == nil || *p.Tool.Poetry.PackageMode)
}

// Unlocked is what a pyproject.toml without a lockfile declares: its main
// dependencies as pip requirements, unpinned, and whether the project is a
// package. Poetry dependencies without poetry.lock are an error: only the
// lock says what Poetry would install.
func Unlocked(pyprojectData []byte) (requirements []string, isPackage bool, err error) {
	p, err := readPyproject(pyprojectData)
	if err != nil {
		return nil, false, err
	}
	if p.Project != nil {
		return slices.Clone(p.Project.Dependencies), p.BuildSystem != nil, nil
	}
	if p.Tool.Poetry != nil && len(p.Tool.Poetry.Dependencies) > 1 {
		return nil, false, fmt.Errorf("pyproject.toml declares Poetry dependencies but there is no poetry.lock beside it; run poetry lock and commit poetry.lock")
	}
	return nil, p.BuildSystem != nil, nil
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
