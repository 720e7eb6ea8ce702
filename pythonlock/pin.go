package pythonlock

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Pin is one distribution to install: a name at its locked version, with
// every hash the lock allows for it.
type Pin struct {
	Name, Version string
	Hashes        []string
}

// Result is what a lock holds for one target.
type Result struct {
	// Pins are the distributions to install, sorted by name.
	Pins []Pin
	// Package says the project itself is a package to build and install,
	// as opposed to a virtual project whose code is only its files.
	Package bool
}

// Requirements renders the pins as a pip requirements file: pip installs
// exactly these, with --no-deps, and refuses any download whose hash the
// lock does not list.
func (r Result) Requirements() []byte {
	var b strings.Builder
	for _, p := range r.Pins {
		fmt.Fprintf(&b, "%s==%s", p.Name, p.Version)
		for _, h := range p.Hashes {
			fmt.Fprintf(&b, " \\\n    --hash=%s", h)
		}
		b.WriteString("\n")
	}
	return []byte(b.String())
}

// normalize is a project name's canonical form (PEP 503).
func normalize(name string) string {
	return strings.ToLower(separators.ReplaceAllString(name, "-"))
}

var separators = regexp.MustCompile(`[-_.]+`)

// sortPins orders pins by name and drops repeats, so that the output never
// depends on the lock's order or the walk's.
func sortPins(pins []Pin) []Pin {
	slices.SortFunc(pins, func(a, b Pin) int { return cmp.Or(cmp.Compare(a.Name, b.Name), cmp.Compare(a.Version, b.Version)) })
	return slices.CompactFunc(pins, func(a, b Pin) bool { return a.Name == b.Name && a.Version == b.Version })
}

// requirement is a PEP 508 dependency as pyproject.toml lists it.
type requirement struct {
	name   string
	extras []string
	marker string
}

var reqName = regexp.MustCompile(`^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:\[([^\]]*)\])?`)

// parseRequirement reads the name, extras and marker of "name[x] >=1 ; m".
func parseRequirement(s string) (requirement, error) {
	spec, marker, _ := strings.Cut(s, ";")
	m := reqName.FindStringSubmatch(spec)
	if m == nil {
		return requirement{}, fmt.Errorf("%q is not a dependency specification", s)
	}
	r := requirement{name: normalize(m[1]), marker: strings.TrimSpace(marker)}
	for _, e := range strings.Split(m[2], ",") {
		if e = strings.TrimSpace(e); e != "" {
			r.extras = append(r.extras, normalize(e))
		}
	}
	return r, nil
}
