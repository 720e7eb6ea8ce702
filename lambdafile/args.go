package lambdafile

import (
	"maps"
	"regexp"
	"slices"
	"strings"
)

// PredefinedArgs are the build arguments every build has, as for a
// Dockerfile: the platform the image is for and the platform the steps run
// on.
var PredefinedArgs = []string{
	"BUILDARCH", "BUILDOS", "BUILDPLATFORM", "BUILDVARIANT",
	"TARGETARCH", "TARGETOS", "TARGETPLATFORM", "TARGETVARIANT",
}

// buildEnvNames are variables the build steps need as they are: an
// argument of that name, in the environment of every build command, would
// break them.
var buildEnvNames = []string{"PATH", "HOME", "PWD", "SHELL", "LD_PRELOAD", "LD_LIBRARY_PATH", "SSH_AUTH_SOCK", "SOURCE_DATE_EPOCH"}

// argRef matches what Expand replaces: ${NAME}, and $$ for a literal $.
var argRef = regexp.MustCompile(`\$\$|\$\{([^}]*)\}`)

// Expand replaces each ${NAME} in value with lookup(NAME) and each $$ with
// $; any other $ is kept as it is. It also returns the names lookup does
// not know, which are left unexpanded.
func Expand(value string, lookup func(name string) (string, bool)) (string, []string) {
	var unknown []string
	out := argRef.ReplaceAllStringFunc(value, func(m string) string {
		if m == "$$" {
			return "$"
		}
		name := m[2 : len(m)-1]
		if v, ok := lookup(name); ok {
			return v
		}
		unknown = append(unknown, name)
		return m
	})
	return out, unknown
}

// args checks the declared build arguments and every ${NAME} that env and
// build.env use.
func (v *validator) args() {
	for _, name := range slices.Sorted(maps.Keys(v.s.Args)) {
		p := joinPath("args", name)
		v.s.positions[p] = v.s.positions[p+"#key"]
		switch {
		case !envName.MatchString(name):
			v.errorf(p, "%q is not a valid build argument name; use letters, digits and _, not starting with a digit", name)
		case slices.Contains(buildEnvNames, name):
			v.errorf(p, "%s would replace the build's own %s; choose another name", name, name)
		case slices.Contains(PredefinedArgs, name) && v.s.Args[name] != "":
			v.errorf(p, "%s is predefined: the build sets its value; write \"%s:\" with no value to pass it to build commands", name, name)
		}
	}
	known := slices.Concat(slices.Sorted(maps.Keys(v.s.Args)), PredefinedArgs)
	lookup := func(name string) (string, bool) { return "", slices.Contains(known, name) }
	for _, at := range []string{"env", "build.env"} {
		env := v.s.Env
		if at == "build.env" {
			env = v.s.Build.Env
		}
		for _, name := range slices.Sorted(maps.Keys(env)) {
			_, unknown := Expand(env[name], lookup)
			for _, u := range unknown {
				v.errorf(joinPath(at, name), "${%s} is not a build argument; declare it under args: or use a predefined one like TARGETARCH%s",
					u, DidYouMean(u, known))
			}
		}
	}
}

// ArgValues resolves the declared build arguments: the value given with
// --build-arg, else the default from lambda.yaml.
func (s *File) ArgValues(given map[string]string) map[string]string {
	vals := make(map[string]string, len(s.Args))
	for name, def := range s.Args {
		if v, ok := given[name]; ok {
			vals[name] = v
		} else {
			vals[name] = def
		}
	}
	return vals
}

// builtinArgs are build arguments BuildKit, buildx or the environment
// pass on their own; lambda.yaml need not declare them.
var builtinArgs = []string{
	"SOURCE_DATE_EPOCH", "HTTP_PROXY", "HTTPS_PROXY", "FTP_PROXY", "NO_PROXY", "ALL_PROXY",
	"http_proxy", "https_proxy", "ftp_proxy", "no_proxy", "all_proxy",
}

// UndeclaredArgs are the given --build-arg names that lambda.yaml does not
// declare and nothing else reads, sorted.
func (s *File) UndeclaredArgs(given map[string]string) []string {
	var out []string
	for _, name := range slices.Sorted(maps.Keys(given)) {
		_, declared := s.Args[name]
		if !declared && !strings.HasPrefix(name, "BUILDKIT_") &&
			!slices.Contains(builtinArgs, name) && !slices.Contains(PredefinedArgs, name) {
			out = append(out, name)
		}
	}
	return out
}
