package lambdafile

import (
	"cmp"
	"fmt"
	"maps"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/buildkit-lambda/buildkit-lambda/runtimes"
	"github.com/distribution/reference"
)

var (
	envName  = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)
	secretID = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	// release is how Go and Rust number their releases, the tags of their
	// images: 1.24, 1.85.1.
	release = regexp.MustCompile(`^1\.\d+(\.\d+)?$`)
	// cargoName is what Cargo accepts as a binary's name.
	cargoName = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_-]*$`)
	// goDir is what a package directory holds in practice; anything else
	// (a space, ;, $, a quote) is a mistake or an attack, never a package.
	goDir = regexp.MustCompile(`^[A-Za-z0-9_./@+~-]+$`)
)

// reservedEnv are the variables Lambda sets itself and refuses in a
// function's configuration; baking them into the image would either be
// overridden at run time or break the runtime. Other AWS_ names, such as
// AWS_NODEJS_CONNECTION_REUSE_ENABLED, are the user's to set.
var reservedEnv = []string{
	"_HANDLER", "_X_AMZN_TRACE_ID", "AWS_ACCESS_KEY", "AWS_ACCESS_KEY_ID",
	"AWS_DEFAULT_REGION", "AWS_EXECUTION_ENV", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE",
	"AWS_LAMBDA_FUNCTION_NAME", "AWS_LAMBDA_FUNCTION_VERSION", "AWS_LAMBDA_INITIALIZATION_TYPE",
	"AWS_LAMBDA_LOG_GROUP_NAME", "AWS_LAMBDA_LOG_STREAM_NAME", "AWS_LAMBDA_RUNTIME_API",
	"AWS_REGION", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "LAMBDA_RUNTIME_DIR", "LAMBDA_TASK_ROOT",
}

// validator checks the meaning of a decoded spec.
type validator struct {
	s    *File
	errs Errors
	// skip holds paths decoding already reported; checking them again
	// would report one mistake twice.
	skip map[string]bool
}

func (v *validator) errorf(path, format string, args ...any) {
	if v.skip[path] {
		return
	}
	v.errs = append(v.errs, &Error{File: v.s.file, Pos: v.s.positions[path], Path: path, Msg: fmt.Sprintf(format, args...)})
}

// validate checks everything decoding cannot. Paths in skip were already
// reported by the decoder.
func (s *File) validate(skip map[string]bool) Errors {
	v := &validator{s: s, skip: skip}
	v.runtime()
	v.handler()
	v.architecture()
	v.image("base", s.Base)
	v.image("build.image", s.Build.Image)
	for i, ref := range s.Extensions {
		p := fmt.Sprintf("extensions[%d]", i)
		switch {
		case ref == "":
			v.errorf(p, "extension is empty; write an image reference, like public.ecr.aws/datadog/lambda-extension:77, or the path of a layer's .zip in the build context, like extensions/agent.zip")
		case slices.Index(s.Extensions, ref) < i:
			v.errorf(p, "extension %q is listed twice", ref)
		case IsExtensionZip(ref):
			v.relativePath(p, ref, "extensions/agent.zip")
		default:
			v.image(p, ref)
		}
	}
	v.relativePath("build.output", s.Build.Output, "dist")
	v.workspace()
	v.goSettings()
	v.rustSettings()
	v.packageSettings()
	v.output()
	v.bundle()
	v.packageManager()
	v.env()
	for _, k := range slices.Sorted(maps.Keys(s.Labels)) {
		switch {
		case strings.TrimSpace(k) == "":
			v.errorf("labels", "label names must not be empty")
		case strings.HasPrefix(k, OwnLabelPrefix):
			p := "labels." + k
			v.s.positions[p] = v.s.positions[p+"#key"]
			v.errorf(p, "%s is the frontend's own label; choose a name outside %s", k, OwnLabelPrefix)
		}
	}
	v.tests()
	v.args()
	v.secrets()
	v.ssh()
	v.sizes()
	return v.errs
}

// sizes checks the limits on what each build command multiplies.
func (v *validator) sizes() {
	if n := len(v.s.Build.Commands); n > MaxCommands {
		v.errorf("build.commands", "has %d commands, more than %d; put them in a script and run that", n, MaxCommands)
	}
	if n := len(v.s.Secrets); n > MaxSecrets {
		v.errorf("secrets", "lists %d secrets, more than %d", n, MaxSecrets)
	}
	argBytes := 0
	for k, val := range v.s.Args {
		argBytes += len(k) + len(val)
	}
	if n := len(v.s.Build.Commands); n*argBytes > MaxStepEnv {
		v.errorf("args", "the %d bytes of build arguments, given to each of the %d build commands, are more than %d bytes; pass large values in a file", argBytes, n, MaxStepEnv)
	}
	for i, c := range v.s.Build.Commands {
		if strings.TrimSpace(c) == "" {
			v.errorf(fmt.Sprintf("build.commands[%d]", i), "is empty; remove it, or write the command")
		}
	}
}

func (v *validator) runtime() {
	if v.s.Runtime == "" {
		// "runtime:" with no value decodes to null, which the decoder
		// accepts for optional keys.
		v.errorf("runtime", "required: set it to one of %s", strings.Join(runtimes.Names(), ", "))
		return
	}
	info, ok := v.s.Runtime.Info()
	switch {
	case !ok:
		v.errorf("runtime", "unknown runtime %q; the runtimes are %s%s", v.s.Runtime, strings.Join(runtimes.Names(), ", "), DidYouMean(string(v.s.Runtime), runtimes.Names()))
	case info.Retired:
		next := info.Successor(time.Time{}) // the newest of the family
		v.errorf("runtime", "AWS retired %s on %s: functions on it can no longer be deployed or updated; move to %s", info.Identifier, info.Deprecated.Format(time.DateOnly), next)
	}
}

func (v *validator) handler() {
	h := v.s.Handler
	if i := strings.IndexFunc(h, invisible); i >= 0 {
		r, _ := utf8.DecodeRuneInString(h[i:])
		v.errorf("handler", "%q holds %U, a space or invisible character; a handler is one word, like app.handler", h, r)
		return
	}
	fam := v.s.Runtime.Family()
	switch {
	case fam == nil:
	case h == "" && fam.DefaultHandler() == "":
		v.missing("handler", fmt.Sprintf("%s needs a handler like %s", fam.Language(), fam.HandlerHint()))
	case h == "":
	case fam.CheckHandler(h) != "":
		v.errorf("handler", "%s", fam.CheckHandler(h))
	default:
		if files := fam.HandlerFiles(h); len(files) > 0 {
			v.relativePath("handler", strings.TrimSuffix(files[0], path.Ext(files[0])), "app.handler")
		}
	}
}

// invisible is true for the runes a handler must not hold: it becomes the
// image's CMD and the runtime's _HANDLER, where a space splits it and a
// control or format character hides part of it.
func invisible(r rune) bool {
	return unicode.IsSpace(r) || !unicode.IsGraphic(r)
}

// missing reports a required key that is absent, at the top of the file.
func (v *validator) missing(path, hint string) {
	if v.skip[path] {
		return
	}
	v.errs = append(v.errs, &Error{File: v.s.file, Pos: v.s.positions["runtime#key"], Path: path,
		Msg: fmt.Sprintf("required for runtime %s: %s", v.s.Runtime, hint)})
}

func (v *validator) architecture() {
	a := v.s.Architecture
	if info, ok := v.s.Runtime.Info(); ok && slices.Contains(Architectures, a) && !info.Supports(string(a)) {
		v.errorf("architecture", "%s runs on %s only", info.Identifier, strings.Join(info.Architectures, ", "))
	}
	if a == "" || slices.Contains(Architectures, a) {
		return
	}
	hint := DidYouMean(string(a), Architectures)
	switch strings.ToLower(string(a)) {
	case "amd64", "x86-64", "x64", "x86":
		hint = `; did you mean "x86_64"? Lambda names it x86_64`
	case "aarch64", "arm":
		hint = `; did you mean "arm64"? Lambda names it arm64`
	}
	v.errorf("architecture", "unknown architecture %q; Lambda runs %s%s", a, list(Architectures), hint)
}

func (v *validator) image(path, ref string) {
	if ref == "" {
		return
	}
	if strings.HasPrefix(ref, "sha256:") {
		v.errorf(path, "%q is a digest without an image name; write the image's name before it, like public.ecr.aws/lambda/nodejs:22@sha256:...", shorten(ref))
		return
	}
	if _, err := reference.ParseNormalizedNamed(ref); err != nil {
		v.errorf(path, "%q is not an image reference (%v); write it like public.ecr.aws/lambda/nodejs:22", ref, err)
	}
}

// relativePath checks a path that names something inside the build
// context; example is a right value for the field.
func (v *validator) relativePath(p, value, example string) {
	switch {
	case value == "":
	case path.IsAbs(value) || strings.HasPrefix(value, `\`):
		v.errorf(p, "%q is an absolute path; paths are relative to the build context, like %s", value, example)
	case strings.Contains(value, `\`):
		v.errorf(p, "%q contains a backslash; use / between directories", value)
	case path.Clean(value) == ".." || strings.HasPrefix(path.Clean(value), "../"):
		v.errorf(p, "%q points outside the build context; paths must stay inside it", value)
	}
}

func (v *validator) workspace() {
	if v.s.Workspace == "" {
		return
	}
	v.relativePath("workspace", v.s.Workspace, "services/orders")
	if fam := v.s.Runtime.Family(); fam != nil && !fam.Workspaces() {
		v.errorf("workspace", "runtime %s has no workspaces; workspace applies to Node.js (npm, pnpm and yarn 2+ workspaces), remove it", v.s.Runtime)
	}
}

// section says whether the family's own settings under key apply: set
// says whether the file has any, which is an error for another runtime.
func (v *validator) section(key string, set bool) bool {
	fam := v.s.Runtime.Family()
	if fam == nil || fam.Section() == key {
		return fam != nil
	}
	if set {
		v.errorf(key, "%s settings only apply to runtime %s, not %s; remove them", key, key, v.s.Runtime)
	}
	return false
}

func (v *validator) goSettings() {
	g := v.s.Go
	if !v.section("go", g != Go{}) {
		return
	}
	v.relativePath("go.main", g.Main, "./cmd/fn")
	switch {
	case g.Main == "":
	case strings.Contains(g.Main, "..."):
		v.errorf("go.main", "%q is a package pattern; a function is one package main, like ./cmd/fn", g.Main)
	case !goDir.MatchString(g.Main):
		v.errorf("go.main", "%q is not a package directory; use letters, digits and . _ - / @ + ~, like ./cmd/fn", g.Main)
	}
	if g.Version != "" && !release.MatchString(g.Version) {
		v.errorf("go.version", "%q is not a Go version; write it like \"1.24\" or \"1.24.3\", in quotes", g.Version)
	}
}

func (v *validator) rustSettings() {
	r := v.s.Rust
	if !v.section("rust", r != Rust{}) {
		return
	}
	if r.Bin != "" && !cargoName.MatchString(r.Bin) {
		v.errorf("rust.bin", "%q is not a Cargo binary name; use letters, digits, _ and -, as in Cargo.toml's [[bin]] name", r.Bin)
	}
	if r.Version != "" && !IsRustRelease(r.Version) {
		v.errorf("rust.version", "%q is not a Rust version; write it like \"1.85\" or \"1.85.1\", in quotes", r.Version)
	}
}

// packageSettings checks that a layer is possible: only a family whose
// runtime looks for dependencies in a layer's directory can split them out.
func (v *validator) packageSettings() {
	fam := v.s.Runtime.Family()
	if _, layered := fam.(runtimes.Layered); v.s.Package.Layer && fam != nil && !layered {
		v.errorf("package.layer", "runtime %s has no dependencies to put in a layer; remove package.layer", v.s.Runtime)
	}
}

// IsRustRelease says whether v is a Rust release number, the tag of a rust
// image, like 1.85 or 1.85.1.
func IsRustRelease(v string) bool { return release.MatchString(v) }

// output checks that build.output applies to the runtime.
func (v *validator) output() {
	if fam := v.s.Runtime.Family(); fam != nil && !fam.ShipsOutput() && v.s.Build.Output != "" {
		v.errorf("build.output", "runtime %s ships the bootstrap binary it builds; build.output does not apply, remove it", v.s.Runtime)
	}
}

func (v *validator) env() {
	v.envNames("env", v.s.Env, true)
	v.envNames("build.env", v.s.Build.Env, false)
}

// envNames checks the names of an environment map; runtime says whether the
// function sees it, where Lambda's reserved names are refused.
func (v *validator) envNames(at string, env map[string]string, runtime bool) {
	for _, name := range slices.Sorted(maps.Keys(env)) {
		p := joinPath(at, name)
		v.s.positions[p] = v.s.positions[p+"#key"]
		switch {
		case !envName.MatchString(name):
			v.errorf(p, "%q is not a valid environment variable name; use letters, digits and _, not starting with a digit", name)
		case runtime && slices.Contains(reservedEnv, name):
			v.errorf(p, "%s is reserved by Lambda, which sets it at run time; remove it", name)
		}
	}
}

// buildDirs are the compile stage's own directories, where a secret file
// would hide sources, dependencies or the output (llbgen's buildDir,
// depsDir, binDir and toolDir, which this package cannot import), and
// where the SSH agents' sockets are.
var buildDirs = []string{"/build", "/deps", "/out", "/run/buildkit", "/opt/buildkit-lambda"}

func (v *validator) secrets() {
	ids, targets, envs := map[string]bool{}, map[string]int{}, map[string]int{}
	for i, sec := range v.s.Secrets {
		p := fmt.Sprintf("secrets[%d]", i)
		switch {
		case !secretID.MatchString(sec.ID):
			v.errorf(p+".id", "%q is not a secret id; use letters, digits, '.', '_' and '-'", sec.ID)
		case ids[sec.ID]:
			v.errorf(p+".id", "secret %q is listed twice", sec.ID)
		}
		ids[sec.ID] = true
		if sec.Env != "" && sec.Target != "" {
			v.errorf(p, "a secret is mounted either as env or as target, not both")
		}
		v.secretTarget(i, sec, targets)
		if sec.Env == "" {
			continue
		}
		if !envName.MatchString(sec.Env) {
			v.errorf(p+".env", "%q is not a valid environment variable name", sec.Env)
		}
		if j, dup := envs[sec.Env]; dup {
			v.errorf(p+".env", "secrets[%d] is in %s already; give each secret its own variable", j, sec.Env)
		}
		envs[sec.Env] = i
		if sec.Env == "SSH_AUTH_SOCK" && len(v.s.SSH) > 0 {
			v.errorf(p+".env", "SSH_AUTH_SOCK is the forwarded SSH agent's; choose another variable")
		}
	}
}

// secretTarget checks where secret i is mounted as a file: a plain
// absolute path, its own, and outside the build's own directories.
// targets maps the paths taken so far to their secrets.
func (v *validator) secretTarget(i int, sec Secret, targets map[string]int) {
	p := fmt.Sprintf("secrets[%d].target", i)
	target := sec.Target
	switch {
	case target == "" && sec.Env != "":
		return
	case target == "":
		target = "/run/secrets/" + sec.ID
	case !path.IsAbs(target) || path.Clean(target) == "/":
		v.errorf(p, "%q must be an absolute file path, like /root/.npmrc", target)
		return
	case path.Clean(target) != target:
		v.errorf(p, "%q is not a plain path; write it as %s", target, path.Clean(target))
		return
	}
	if j, dup := targets[target]; dup {
		v.errorf(p, "secrets[%d] is mounted at %s already; give each secret its own file", j, target)
	}
	targets[target] = i
	for _, dir := range buildDirs {
		if under(target, dir) {
			v.errorf(p, "%s is inside %s, which the build uses itself; mount the secret elsewhere, like /root or /run/secrets", target, dir)
		}
	}
}

func (v *validator) ssh() {
	for i, id := range v.s.SSH {
		p := fmt.Sprintf("ssh[%d]", i)
		switch {
		case !secretID.MatchString(id):
			v.errorf(p, "%q is not an SSH id; use the id given to --ssh, like default", id)
		case slices.Index(v.s.SSH, id) < i:
			v.errorf(p, "SSH id %q is listed twice", id)
		}
	}
}

// under says whether p is dir or inside it.
func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// applyDefaults fills in what the file leaves out and cleans the paths, so
// that "./", "out/" and "a/.." mean what "." and "out" mean everywhere the
// spec is read: once here, and never again downstream.
func (s *File) applyDefaults() {
	if s.Architecture == "" {
		s.Architecture = ArchX8664
	}
	fam := s.Runtime.Family()
	s.Handler = cmp.Or(s.Handler, fam.DefaultHandler())
	if fam.Section() == "go" {
		s.Go.Main = path.Clean(cmp.Or(s.Go.Main, "."))
	}
	output := "."
	if c, ok := fam.(runtimes.Compiled); ok {
		output = c.Output()
	}
	s.Build.Output = path.Clean(cmp.Or(s.Build.Output, output))
	if s.Workspace != "" {
		s.Workspace = path.Clean(s.Workspace)
	}
	for i, ext := range s.Extensions {
		if IsExtensionZip(ext) {
			s.Extensions[i] = path.Clean(ext)
		}
	}
	for i := range s.Test {
		t := &s.Test[i]
		t.Name = cmp.Or(t.Name, fmt.Sprintf("test[%d]", i))
		if t.EventFile != "" {
			t.EventFile = path.Clean(t.EventFile)
		}
		d, _ := testTimeout(t.Timeout)
		t.Timeout = d.String()
	}
}

func list[S ~string](xs []S) string {
	q := make([]string, len(xs))
	for i, x := range xs {
		q[i] = string(x)
	}
	return strings.Join(q, ", ")
}
