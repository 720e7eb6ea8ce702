package llbgen_test

import (
	"slices"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/moby/buildkit/solver/pb"
)

// TestRuby: Bundler installs Gemfile.lock in deployment mode, without the
// development and test groups, into a tree of its own with a cache mount,
// the dependency layer at /var/task/vendor/bundle with the Gemfile; without
// Gemfile.lock it resolves the Gemfile, and the build warns.
func TestRuby(t *testing.T) {
	for _, tc := range []struct {
		name         string
		drop         string // a file of the example the context lacks
		step         string
		deployment   bool
		dependencies llbgen.Dependencies
	}{
		{name: "locked", step: "bundle install (deployment)", deployment: true,
			dependencies: llbgen.Dependencies{Manager: "bundler", Lockfile: "Gemfile.lock", Locked: true}},
		{name: "no lockfile", drop: "Gemfile.lock", step: "bundle install",
			dependencies: llbgen.Dependencies{Manager: "bundler", Lockfile: "Gemfile", Lock: "bundle lock, then commit Gemfile.lock"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, opt := example(t, "ruby", arm64)
			delete(opt.Files, tc.drop)
			res, g, _ := generate(t, s, opt)
			assertSources(t, g, "docker-image://public.ecr.aws/lambda/ruby:3.3")
			install, gemfile, code, deps := g.named(tc.step), g.find("copy Gemfile"), g.find("copy . to /var/task"), g.find("gems to /var/task/vendor/bundle")
			if install < 0 || gemfile < 0 || code < 0 || deps < 0 {
				t.Fatalf("missing steps:\n%s", g)
			}
			e := g.ops[install].GetExec()
			if !slices.Equal(e.Meta.Args, []string{"bundle", "install"}) || e.Network != pb.NetMode_UNSET {
				t.Errorf("install runs %q with network %v, want bundle install with the network", e.Meta.Args, e.Network)
			}
			assertCache(t, e, "/root/.cache/bundler", "buildkit-lambda/ruby3.3/arm64/bundler", pb.CacheSharingOpt_LOCKED)
			for _, want := range []string{"BUNDLE_PATH=/deps/vendor/bundle", "BUNDLE_WITHOUT=development:test", "BUNDLE_APP_CONFIG=/root/.bundle-lambda"} {
				if !slices.Contains(e.Meta.Env, want) {
					t.Errorf("install's env %q lacks %s", e.Meta.Env, want)
				}
			}
			if got := slices.Contains(e.Meta.Env, "BUNDLE_DEPLOYMENT=true"); got != tc.deployment {
				t.Errorf("deployment mode is %v, want %v", got, tc.deployment)
			}
			if !g.dependsOn(install, gemfile) || g.dependsOn(code, install) {
				t.Error("bundle install must come after the Gemfile, and the code layer must not depend on it")
			}
			actions := g.ops[deps].GetFile().Actions
			if len(actions) != 5 || actions[0].GetCopy().Dest != "/var/task" || actions[2].GetCopy().Src != "/build/Gemfile.lock" || actions[4].GetMkfile().GetPath() != "/var/task/.bundle/config" {
				t.Errorf("the dependency layer is %v; want the gems, the Gemfile, its lock and .bundle/config in /var/task", actions)
			}
			if cp := g.ops[code].GetFile().Actions[0].GetCopy(); !slices.Contains(cp.ExcludePatterns, "vendor/bundle") || !slices.Contains(cp.ExcludePatterns, "Gemfile") {
				t.Errorf("the code layer leaves out %q; want a local vendor/bundle and the Gemfile out", cp.ExcludePatterns)
			}
			if d := llbgen.DependenciesOf(s, opt.Files); d != tc.dependencies {
				t.Errorf("dependencies %+v, want %+v", d, tc.dependencies)
			}
			if cmd := res.Config.Config.Cmd; !slices.Equal(cmd, []string{"app.handler"}) {
				t.Errorf("CMD %q, want the handler", cmd)
			}
		})
	}
}
