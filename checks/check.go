package checks

import (
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/containerd/platforms"
	"github.com/distribution/reference"
	"github.com/moby/patternmatcher"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Level is how serious a Finding is.
type Level int

// The levels of findings. Only errors stop a build or fail --check.
const (
	LevelInfo Level = iota
	LevelWarning
	LevelError
)

func (l Level) String() string {
	return [...]string{"info", "warning", "error"}[l]
}

// Finding is one result of Check, at a path in lambda.yaml.
type Finding struct {
	// Rule names the check, like the rules of docker buildx build --check
	// for a Dockerfile.
	Rule  string
	Level Level
	Path  string
	Msg   string
}

// secretLikeName matches variable names that usually hold credentials.
var secretLikeName = regexp.MustCompile(`(?i)(SECRET|PASSWORD|PASSWD|TOKEN|API_?KEY|PRIVATE_?KEY|CREDENTIAL|ACCESS_?KEY)`)

// CheckInput is what Check looks at besides the spec.
type CheckInput struct {
	// TargetPlatform is --platform, nil when not given.
	TargetPlatform *ocispecs.Platform
	// Files holds the context files named by ProbeFiles that exist.
	Files map[string][]byte
	// Ignore holds the .dockerignore patterns of the build context.
	Ignore []string
	// BuildArgs are the --build-arg values.
	BuildArgs map[string]string
	// Links maps the paths of LinkProbes that are symbolic links in the
	// build context to their targets.
	Links map[string]string
	// Today is the day the build runs, for AWS's deprecation dates.
	Today time.Time
}

// Check finds the mistakes a build would not report, or would report only
// after minutes of work. Findings are sorted by rule, then path.
func Check(s *lambdafile.File, in CheckInput) []Finding {
	var fs []Finding
	add := func(rule string, level Level, path, format string, args ...any) {
		fs = append(fs, Finding{Rule: rule, Level: level, Path: path, Msg: fmt.Sprintf(format, args...)})
	}
	if w := platformMismatch(s, in.TargetPlatform); w != "" {
		add("ArchitectureMismatch", LevelWarning, "architecture", "%s", w)
	}
	if names := s.UndeclaredArgs(in.BuildArgs); len(names) > 0 {
		at := "args"
		if s.Pos(at).Line == 0 {
			at = "runtime"
		}
		add("UndeclaredBuildArg", LevelWarning, at, "--build-arg %s: lambda.yaml declares no such build argument, so nothing uses it; declare it under args:%s",
			strings.Join(names, ", "), lambdafile.DidYouMean(names[0], slices.Sorted(maps.Keys(s.Args))))
	}
	if info, ok := s.Runtime.Info(); ok && info.DeprecatedOn(in.Today) {
		add("DeprecatedRuntime", LevelWarning, "runtime", "%s", info.DeprecationNotice(in.Today))
	}
	if deps := llbgen.DependenciesOf(s, in.Files); deps.Lock != "" {
		add("UnlockedDependencies", LevelWarning, "runtime", "%s declares dependencies without a lockfile, so each build may install other versions than the last; lock them: %s", deps.Lockfile, deps.Lock)
	}
	// One finding per field: a link outside explains a missing handler too.
	linkedOut := map[string]bool{}
	for _, p := range contextPaths(s) {
		if link, target, ok := linkOutsideContext(p, in.Links); ok && !linkedOut[p.field] {
			linkedOut[p.field] = true
			add("SymlinkOutsideContext", LevelError, p.field, "%s is a symbolic link to %s, outside the build context; BuildKit sends the link and not the files it points to, so replace the link with the files, or build from a directory that holds both", link, target)
		}
	}
	if f, ok := missingHandler(s, in); ok && !linkedOut["handler"] {
		add("HandlerNotFound", LevelError, "handler", "%s", f)
	}
	for _, img := range []struct{ path, ref string }{{"base", s.BaseImage()}, {"build.image", s.Build.Image}} {
		if img.ref == "" || pinned(img.ref) {
			continue
		}
		at := img.path
		if s.Pos(at).Line == 0 {
			at = "runtime"
		}
		add("ImageNotPinned", LevelInfo, at, "%s is not pinned by digest, so the same lambda.yaml can build on a different image tomorrow; pin it as %s@sha256:...", img.ref, img.ref)
	}
	for _, e := range []struct {
		path string
		vars map[string]string
		fix  string
	}{
		{"env", s.Env, "env is stored in the image config for anyone who can pull the image; give the function its secret at run time (AWS Secrets Manager, or the function's encrypted environment)"},
		{"build.env", s.Build.Env, "build.env is recorded in the build history; mount it with secrets: and docker buildx build --secret"},
		{"args", s.Args, "build arguments are recorded in the build history; mount it with secrets: and docker buildx build --secret"},
	} {
		for _, name := range slices.Sorted(maps.Keys(e.vars)) {
			if secretLikeName.MatchString(name) && e.vars[name] != "" {
				add("SecretInEnv", LevelWarning, e.path+"."+name, "%s looks like a secret, and %s", name, e.fix)
			}
		}
	}
	slices.SortStableFunc(fs, func(a, b Finding) int {
		return strings.Compare(a.Rule+"\x00"+a.Path, b.Rule+"\x00"+b.Path)
	})
	return fs
}

// platformMismatch warns when --platform and the spec's architecture
// disagree; --platform wins.
func platformMismatch(s *lambdafile.File, requested *ocispecs.Platform) string {
	if requested == nil || s.Pos("architecture").Line == 0 {
		return ""
	}
	p := platforms.Normalize(*requested)
	arch, ok := lambdafile.ArchitectureOf(p.Architecture)
	if !ok || arch == s.Architecture {
		return ""
	}
	return fmt.Sprintf("--platform %s builds for %s, but lambda.yaml says architecture: %s; the image follows --platform, so deploy it to an %s function",
		platforms.Format(p), arch, s.Architecture, arch)
}

func pinned(ref string) bool {
	named, err := reference.ParseNormalizedNamed(ref)
	if err != nil {
		return false
	}
	_, ok := named.(reference.Digested)
	return ok
}

// ProbeFiles are the context files Check reads: those one of which must
// hold the handler, relative to the build context, or nil when the handler
// is built rather than copied (a bootstrap, or code that build commands
// produce). Callers put those that exist in CheckInput.Files.
func ProbeFiles(s *lambdafile.File) []string {
	if len(s.Build.Commands) > 0 {
		return nil
	}
	return s.HandlerFiles()
}

// missingHandler explains why no file of ProbeFiles is in the context.
func missingHandler(s *lambdafile.File, in CheckInput) (string, bool) {
	candidates := ProbeFiles(s)
	present := func(f string) bool {
		_, file := in.Files[f]
		_, link := in.Links[f] // SymlinkOutsideContext judges where it points
		return file || link
	}
	if len(candidates) == 0 || slices.ContainsFunc(candidates, present) {
		return "", false
	}
	msg := fmt.Sprintf("handler %s needs %s in the build context, and there is none", s.Handler, orList(candidates))
	if pm, err := patternmatcher.New(in.Ignore); err == nil {
		for _, f := range candidates {
			if ok, _ := pm.MatchesOrParentMatches(f); ok {
				return msg + fmt.Sprintf("; .dockerignore excludes %s, so add !%s to it", f, f), true
			}
		}
	}
	return msg + "; check the handler's spelling and the build context directory (the last argument of docker buildx build)", true
}

func orList(xs []string) string {
	if len(xs) == 1 {
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " or " + xs[len(xs)-1]
}
