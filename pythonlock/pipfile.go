package pythonlock

import (
	"encoding/json"
	"fmt"
	"strings"
)

type pipfileLock struct {
	Default map[string]struct {
		Version string   `json:"version"`
		Hashes  []string `json:"hashes"`
		Markers string   `json:"markers"`
		Git     string   `json:"git"`
		Path    string   `json:"path"`
		File    string   `json:"file"`
	} `json:"default"`
}

// FromPipfile reads Pipfile.lock: its default section, already the whole
// closure of the main packages, each with the marker it needs; the develop
// section stays out.
func FromPipfile(data []byte, env Env) (Result, error) {
	var lock pipfileLock
	if err := json.Unmarshal(data, &lock); err != nil {
		return Result{}, fmt.Errorf("reading Pipfile.lock: %w", err)
	}
	var pins []Pin
	for _, name := range sortedKeys(lock.Default) {
		e := lock.Default[name]
		ok, err := env.Match(e.Markers, "")
		if err != nil {
			return Result{}, fmt.Errorf("reading Pipfile.lock: %s: %w", name, err)
		}
		if !ok {
			continue
		}
		version, pinned := strings.CutPrefix(e.Version, "==")
		if !pinned || e.Git != "" || e.Path != "" || e.File != "" {
			return Result{}, fmt.Errorf("reading Pipfile.lock: %s is not a pinned package from an index; only index packages can be installed with their hashes", name)
		}
		if len(e.Hashes) == 0 {
			return Result{}, fmt.Errorf("reading Pipfile.lock: %s %s has no hashes", name, version)
		}
		pins = append(pins, Pin{Name: normalize(name), Version: version, Hashes: e.Hashes})
	}
	return Result{Pins: sortPins(pins)}, nil
}
