package checks

import (
	"path"
	"slices"
	"strings"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
)

// contextPath is a path in the build context that a lambda.yaml field names.
type contextPath struct {
	field, path string
}

// contextPaths lists the paths the spec's path-valued fields name: the
// handler's candidate files, the workspace, build.output and go.main.
func contextPaths(s *lambdafile.File) []contextPath {
	var ps []contextPath
	for _, f := range ProbeFiles(s) {
		ps = append(ps, contextPath{"handler", f})
	}
	if s.Workspace != "" {
		ps = append(ps, contextPath{"workspace", s.Workspace})
	}
	if out := path.Join(s.Workspace, s.Build.Output); out != "." {
		ps = append(ps, contextPath{"build.output", out})
	}
	if s.Go.Main != "" && s.Go.Main != "." {
		ps = append(ps, contextPath{"go.main", s.Go.Main})
	}
	return ps
}

// LinkProbes lists every directory and file on the way to a path that a
// lambda.yaml field names. Callers report those that are symbolic links in
// CheckInput.Links, so that Check can refuse links that leave the context.
func LinkProbes(s *lambdafile.File) []string {
	var probes []string
	for _, p := range contextPaths(s) {
		for prefix := range prefixes(p.path) {
			probes = append(probes, prefix)
		}
	}
	slices.Sort(probes)
	return slices.Compact(probes)
}

// prefixes yields "a", "a/b", "a/b/c" for "a/b/c".
func prefixes(p string) func(yield func(string) bool) {
	return func(yield func(string) bool) {
		for i := range len(p) {
			if p[i] == '/' && !yield(p[:i]) {
				return
			}
		}
		yield(p)
	}
}

// linkOutsideContext finds the first symbolic link on the way to a field's
// path that points outside the build context. BuildKit sends such a link as
// it is, never what it points to, so in the build it resolves against the
// build image's filesystem instead: the image would get the wrong files, or
// a dangling handler.
func linkOutsideContext(p contextPath, links map[string]string) (link, target string, found bool) {
	for prefix := range prefixes(p.path) {
		target, ok := links[prefix]
		if !ok {
			continue
		}
		resolved := path.Join(path.Dir(prefix), target)
		if path.IsAbs(target) || resolved == ".." || strings.HasPrefix(resolved, "../") {
			return prefix, target, true
		}
	}
	return "", "", false
}
