package llbgen

import (
	"fmt"
	"slices"
	"strings"

	"github.com/buildkit-lambda/buildkit-lambda/pythonlock"
)

// pythonSource is where a Python function's dependencies come from: one
// row per way a project declares them, the first whose file is in the
// context winning. A lock wins over requirements.txt, which many locked
// projects also export.
type pythonSource struct {
	manager, file string
	// read turns the context's files into the requirements pip installs,
	// and says whether the project itself is a package to install. A nil
	// read installs file itself, as a requirements file.
	read func(files map[string][]byte, env pythonlock.Env) (reqs []byte, isPackage bool, err error)
	// locked says whether the versions are pinned by a lockfile.
	locked bool
	// refused, when set, says why the file cannot be installed as it is,
	// and what to do: a build never goes on without the dependencies.
	refused string
	// lock is the command that would lock an unlocked source.
	lock string
}

var pythonSources = []pythonSource{
	{manager: "uv", file: "uv.lock", locked: true, read: func(f map[string][]byte, env pythonlock.Env) ([]byte, bool, error) {
		r, err := pythonlock.FromUV(f["uv.lock"], env)
		return r.Requirements(), r.Package, err
	}},
	{manager: "poetry", file: "poetry.lock", locked: true, read: func(f map[string][]byte, env pythonlock.Env) ([]byte, bool, error) {
		if _, ok := f["pyproject.toml"]; !ok {
			return nil, false, fmt.Errorf("poetry.lock has no pyproject.toml beside it; the lock alone does not say which packages are the project's")
		}
		r, err := pythonlock.FromPoetry(f["poetry.lock"], f["pyproject.toml"], env)
		return r.Requirements(), r.Package, err
	}},
	{manager: "pipenv", file: "Pipfile.lock", locked: true, read: func(f map[string][]byte, env pythonlock.Env) ([]byte, bool, error) {
		r, err := pythonlock.FromPipfile(f["Pipfile.lock"], env)
		return r.Requirements(), r.Package, err
	}},
	{manager: "pipenv", file: "Pipfile", refused: "Pipfile has no Pipfile.lock beside it; run pipenv lock and commit Pipfile.lock"},
	{manager: "pip", file: "requirements.txt", locked: true},
	{manager: "pip", file: "pyproject.toml", lock: "uv lock (or poetry lock)", read: func(f map[string][]byte, _ pythonlock.Env) ([]byte, bool, error) {
		deps, isPackage, err := pythonlock.Unlocked(f["pyproject.toml"])
		var reqs []byte
		for _, d := range deps {
			reqs = append(reqs, d+"\n"...)
		}
		return reqs, isPackage, err
	}},
}

// pythonManifests are every file pythonSources reads.
func pythonManifests() []string {
	var files []string
	for _, src := range pythonSources {
		files = append(files, src.file)
	}
	return files
}

// detectPythonSource is the first source whose file is in the context, of
// the manager build.packageManager names when it names one (override), or
// nil when there is none.
func detectPythonSource(files map[string][]byte, override string) (*pythonSource, error) {
	for i, src := range pythonSources {
		if _, ok := files[src.file]; ok && (override == "" || src.manager == override) {
			return &pythonSources[i], nil
		}
	}
	if override == "" {
		return nil, nil
	}
	var want []string
	for _, src := range pythonSources {
		if src.manager == override && !slices.Contains(want, src.file) {
			want = append(want, src.file)
		}
	}
	return nil, fmt.Errorf("build.packageManager is %s, and the build context has no %s", override, strings.Join(want, " or "))
}
