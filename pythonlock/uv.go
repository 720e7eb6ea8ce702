package pythonlock

import (
	"fmt"
	"slices"

	"github.com/pelletier/go-toml/v2"
)

type uvLock struct {
	Package []uvPackage `toml:"package"`
}

type uvPackage struct {
	Name                 string             `toml:"name"`
	Version              string             `toml:"version"`
	Source               map[string]string  `toml:"source"`
	Dependencies         []uvDep            `toml:"dependencies"`
	OptionalDependencies map[string][]uvDep `toml:"optional-dependencies"`
	Sdist                *uvArtifact        `toml:"sdist"`
	Wheels               []uvArtifact       `toml:"wheels"`
}

type uvDep struct {
	Name    string   `toml:"name"`
	Version string   `toml:"version"`
	Marker  string   `toml:"marker"`
	Extra   []string `toml:"extra"`
}

type uvArtifact struct {
	Hash string `toml:"hash"`
}

// FromUV reads uv.lock: the project at the workspace root (source virtual
// or editable ".") and what its main dependencies pull in for env. Dev
// dependencies and the project's optional dependencies stay out.
func FromUV(data []byte, env Env) (Result, error) {
	var lock uvLock
	if err := toml.Unmarshal(data, &lock); err != nil {
		return Result{}, fmt.Errorf("reading uv.lock: %w", err)
	}
	root := slices.IndexFunc(lock.Package, func(p uvPackage) bool {
		return p.Source["virtual"] == "." || p.Source["editable"] == "."
	})
	if root < 0 {
		return Result{}, fmt.Errorf("reading uv.lock: no package has source { virtual = \".\" } or { editable = \".\" }; is it the lock of this project?")
	}
	w := &uvWalk{lock: &lock, env: env, seen: map[string]bool{}}
	for _, d := range lock.Package[root].Dependencies {
		if err := w.follow(d); err != nil {
			return Result{}, fmt.Errorf("reading uv.lock: %w", err)
		}
	}
	return Result{Pins: sortPins(w.pins), Package: lock.Package[root].Source["editable"] == "."}, nil
}

type uvWalk struct {
	lock *uvLock
	env  Env
	seen map[string]bool
	pins []Pin
}

// follow adds what an edge leads to, when its marker holds.
func (w *uvWalk) follow(d uvDep) error {
	ok, err := w.env.Match(d.Marker, "")
	if err != nil || !ok {
		return err
	}
	i := slices.IndexFunc(w.lock.Package, func(p uvPackage) bool {
		return normalize(p.Name) == normalize(d.Name) && (d.Version == "" || p.Version == d.Version)
	})
	if i < 0 {
		return fmt.Errorf("%s is a dependency but not a package of the lock", d.Name)
	}
	p := w.lock.Package[i]
	key := p.Name + "@" + p.Version
	if !w.seen[key] {
		w.seen[key] = true
		if _, ok := p.Source["registry"]; !ok {
			return fmt.Errorf("%s comes from %v, not a package index; only index packages can be installed with their hashes", p.Name, p.Source)
		}
		pin := Pin{Name: normalize(p.Name), Version: p.Version}
		if p.Sdist != nil && p.Sdist.Hash != "" {
			pin.Hashes = append(pin.Hashes, p.Sdist.Hash)
		}
		for _, wh := range p.Wheels {
			pin.Hashes = append(pin.Hashes, wh.Hash)
		}
		if len(pin.Hashes) == 0 {
			return fmt.Errorf("%s %s has no hashes in the lock", p.Name, p.Version)
		}
		w.pins = append(w.pins, pin)
		for _, dd := range p.Dependencies {
			if err := w.follow(dd); err != nil {
				return err
			}
		}
	}
	for _, extra := range d.Extra {
		if w.seen[key+"["+extra+"]"] {
			continue
		}
		w.seen[key+"["+extra+"]"] = true
		for _, dd := range p.OptionalDependencies[extra] {
			if err := w.follow(dd); err != nil {
				return err
			}
		}
	}
	return nil
}
