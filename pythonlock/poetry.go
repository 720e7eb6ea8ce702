package pythonlock

import (
	"fmt"
	"slices"

	"github.com/pelletier/go-toml/v2"
)

type poetryLock struct {
	Package  []poetryPackage `toml:"package"`
	Metadata struct {
		// Files is where locks before lock-version 2.0 keep the hashes.
		Files map[string][]poetryFile `toml:"files"`
	} `toml:"metadata"`
}

type poetryPackage struct {
	Name    string       `toml:"name"`
	Version string       `toml:"version"`
	Files   []poetryFile `toml:"files"`
	// Dependencies maps a name to a constraint string, a table
	// {version, markers, extras, optional}, or a list of such tables.
	Dependencies map[string]any      `toml:"dependencies"`
	Extras       map[string][]string `toml:"extras"`
	Source       *struct {
		Type string `toml:"type"`
		URL  string `toml:"url"`
	} `toml:"source"`
}

type poetryFile struct {
	Hash string `toml:"hash"`
}

// FromPoetry reads poetry.lock, starting from the main dependencies that
// pyproject.toml declares ([project] dependencies, or
// [tool.poetry.dependencies]); dependency groups stay out.
func FromPoetry(lockData, pyprojectData []byte, env Env) (Result, error) {
	var lock poetryLock
	if err := toml.Unmarshal(lockData, &lock); err != nil {
		return Result{}, fmt.Errorf("reading poetry.lock: %w", err)
	}
	proj, err := readPyproject(pyprojectData)
	if err != nil {
		return Result{}, err
	}
	roots, err := proj.mainDependencies()
	if err != nil {
		return Result{}, err
	}
	w := &poetryWalk{lock: &lock, env: env, seen: map[string]bool{}}
	for _, r := range roots {
		if err := w.follow(r); err != nil {
			return Result{}, fmt.Errorf("reading poetry.lock: %w", err)
		}
	}
	return Result{Pins: sortPins(w.pins), Package: proj.isPoetryPackage()}, nil
}

type poetryWalk struct {
	lock *poetryLock
	env  Env
	seen map[string]bool
	pins []Pin
}

func (w *poetryWalk) follow(r requirement) error {
	ok, err := w.env.Match(r.marker, "")
	if err != nil || !ok {
		return err
	}
	i := slices.IndexFunc(w.lock.Package, func(p poetryPackage) bool { return normalize(p.Name) == r.name })
	if i < 0 {
		return fmt.Errorf("%s is a dependency but not a package of the lock; run poetry lock", r.name)
	}
	p := w.lock.Package[i]
	if !w.seen[r.name] {
		w.seen[r.name] = true
		if p.Source != nil && p.Source.Type != "legacy" {
			return fmt.Errorf("%s comes from a %s source, not a package index; only index packages can be installed with their hashes", p.Name, p.Source.Type)
		}
		files := p.Files
		if len(files) == 0 {
			files = w.lock.Metadata.Files[p.Name]
		}
		pin := Pin{Name: r.name, Version: p.Version}
		for _, f := range files {
			pin.Hashes = append(pin.Hashes, f.Hash)
		}
		if len(pin.Hashes) == 0 {
			return fmt.Errorf("%s %s has no hashes in the lock", p.Name, p.Version)
		}
		w.pins = append(w.pins, pin)
		for _, name := range sortedKeys(p.Dependencies) {
			for _, dep := range poetryDependency(name, p.Dependencies[name]) {
				if err := w.follow(dep); err != nil {
					return err
				}
			}
		}
	}
	for _, extra := range r.extras {
		if w.seen[r.name+"["+extra+"]"] {
			continue
		}
		w.seen[r.name+"["+extra+"]"] = true
		for _, spec := range p.Extras[extra] {
			dep, err := parseRequirement(spec)
			if err != nil {
				return err
			}
			if err := w.follow(dep); err != nil {
				return err
			}
		}
	}
	return nil
}

// poetryDependency reads one entry of a Poetry dependency table: the edges
// it stands for, optional ones left out (they come only through extras).
func poetryDependency(name string, v any) []requirement {
	var tables []map[string]any
	switch v := v.(type) {
	case string:
		return []requirement{{name: normalize(name)}}
	case map[string]any:
		tables = []map[string]any{v}
	case []any:
		for _, t := range v {
			if m, ok := t.(map[string]any); ok {
				tables = append(tables, m)
			}
		}
	}
	var out []requirement
	for _, t := range tables {
		if opt, _ := t["optional"].(bool); opt {
			continue
		}
		r := requirement{name: normalize(name)}
		r.marker, _ = t["markers"].(string)
		if extras, ok := t["extras"].([]any); ok {
			for _, e := range extras {
				if s, ok := e.(string); ok {
					r.extras = append(r.extras, normalize(s))
				}
			}
		}
		out = append(out, r)
	}
	return out
}
