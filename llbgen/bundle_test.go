package llbgen_test

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"

	"github.com/moby/buildkit/solver/pb"
	"github.com/opencontainers/go-digest"
)

// TestBundle checks examples/nodejs-bundle's steps: esbuild is installed
// from npm at the pinned version before the project's files, for the
// build platform; the packages left out are chosen from the target's
// production install; esbuild runs on the built sources with every
// dependency; and the image gets the bundle and those packages alone.
func TestBundle(t *testing.T) {
	s, opt := example(t, "nodejs-bundle", arm64)
	res, g, _ := generate(t, s, opt)

	install, leaveOut, bundle := g.named("npm install esbuild@0.28.2"), g.named("choose the packages the bundle leaves out"), g.named("esbuild src/app.handler")
	prod, full, sources := g.named("npm ci --omit=dev"), g.named("npm ci"), g.find("copy sources")
	code, deps := g.find("copy the bundle to /var/task"), g.named("the packages the bundle leaves out")
	if install < 0 || leaveOut < 0 || bundle < 0 || prod < 0 || full < 0 || sources < 0 || code < 0 || deps < 0 {
		t.Fatalf("missing steps:\n%s", g)
	}
	assertCache(t, g.ops[install].GetExec(), "/root/.npm", "buildkit-lambda/nodejs22/arm64/npm", pb.CacheSharingOpt_SHARED)
	if g.dependsOn(install, g.find("copy package-lock.json")) {
		t.Error("the esbuild install must not wait for the project's manifests, so that it stays cached when they change")
	}
	for _, op := range []int{install, leaveOut, bundle} {
		if arch := g.ops[op].Platform.Architecture; arch != "amd64" {
			t.Errorf("%s runs on %s, want the build platform amd64", g.name(op), arch)
		}
	}
	if !g.dependsOn(leaveOut, prod) || g.dependsOn(leaveOut, sources) {
		t.Error("the packages left out must be chosen from the production install alone, so that a code change keeps them cached")
	}
	if !g.dependsOn(bundle, full) || !g.dependsOn(bundle, sources) || !g.dependsOn(bundle, leaveOut) || !g.dependsOn(bundle, install) {
		t.Error("esbuild must run on the sources with every dependency, esbuild and the list of packages left out")
	}
	for _, op := range []int{leaveOut, bundle} {
		if e := g.ops[op].GetExec(); e.Network != pb.NetMode_NONE {
			t.Errorf("%s has network %s; it reads what is installed, and needs none", g.name(op), e.Network)
		}
	}
	e := g.ops[bundle].GetExec()
	args := e.Meta.Args
	if len(args) != 4 || args[0] != "node" || args[2] != "bundle" {
		t.Fatalf("bundle step args %q, want node SCRIPT bundle CONFIG", args)
	}
	var cfg struct {
		Entries   []string
		File      string
		Minify    bool
		Sourcemap bool
		Target    string
	}
	if err := json.Unmarshal([]byte(args[3]), &cfg); err != nil {
		t.Fatal(err)
	}
	if cfg.File != "src/app" || !slices.Contains(cfg.Entries, "src/app.ts") || !cfg.Minify || !cfg.Sourcemap || cfg.Target != "node22" {
		t.Errorf("bundle configuration %s: want src/app, its .ts among the entries, minify, sourcemap and node22", args[3])
	}
	if e.Meta.Cwd != "/build" {
		t.Errorf("esbuild runs in %s, want /build, where the handler's path starts", e.Meta.Cwd)
	}
	if in := g.ops[code].Inputs; len(in) != 1 || g.index[digest.Digest(in[0].Digest)] != bundle {
		t.Error("the code layer must copy the bundle alone")
	}
	if !g.dependsOn(deps, leaveOut) || g.dependsOn(deps, sources) {
		t.Error("the dependency layer must hold the packages left out, and nothing of the sources")
	}
	for _, a := range g.ops[deps].GetFile().Actions {
		if cp := a.GetCopy(); cp != nil && strings.HasSuffix(cp.Src, "package.json") {
			t.Error("a bundle needs no package.json: the format is in its file's extension")
		}
	}
	if c := res.Config.Config; !slices.Equal(c.Cmd, []string{"src/app.handler"}) || !slices.Contains(c.Env, "NODE_OPTIONS=--enable-source-maps") {
		t.Errorf("CMD %q env %q: want the handler unchanged, and Node.js reading the source maps", c.Cmd, c.Env)
	}
}

// TestBundleWithoutPackageJSON bundles a handler with no dependencies:
// no install, and no dependency layer.
func TestBundleWithoutPackageJSON(t *testing.T) {
	s, opt := exampleWith(t, "custom", "runtime: nodejs22\nhandler: app.handler\nbuild:\n  bundle: esbuild\n", amd64)
	res, g, _ := generate(t, s, opt)
	if g.named("esbuild app.handler") < 0 || g.find("copy the bundle to /var/task") < 0 {
		t.Fatalf("missing the bundle steps:\n%s", g)
	}
	if g.find("leaves out") >= 0 || g.find("npm ci") >= 0 {
		t.Errorf("nothing to install or leave out without a package.json:\n%s", g)
	}
	if slices.ContainsFunc(res.Config.Config.Env, func(e string) bool { return strings.HasPrefix(e, "NODE_OPTIONS=") }) {
		t.Error("NODE_OPTIONS set without sourcemap")
	}
}
