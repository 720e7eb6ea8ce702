package llbgen_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/moby/buildkit/solver/pb"
)

func TestRust(t *testing.T) {
	s, opt := example(t, "rust", arm64)
	res, g, _ := generate(t, s, opt)
	assertSources(t, g, "docker-image://docker.io/library/rust:1.85", "docker-image://public.ecr.aws/lambda/provided:al2023")
	cross, fetch, build, lock, sources := g.find("cross toolchain for aarch64"), g.named("cargo fetch"), g.find("cargo build"), g.find("copy Cargo.lock"), g.find("copy sources")
	if cross < 0 || fetch < 0 || build < 0 || lock < 0 || sources < 0 {
		t.Fatalf("missing steps:\n%s", g)
	}
	if !g.dependsOn(fetch, lock) || !g.dependsOn(fetch, cross) || g.dependsOn(fetch, sources) {
		t.Error("cargo fetch must come after the cross toolchain and Cargo.lock, and before the sources")
	}
	f := g.ops[fetch].GetExec()
	if !slices.Equal(f.Meta.Args[len(f.Meta.Args)-3:], []string{"cargo", "fetch", "--locked"}) {
		t.Errorf("cargo fetch args %q", f.Meta.Args)
	}
	assertCache(t, f, "/root/.cache/cargo-downloads", "buildkit-lambda/rust/arm64/cargo", pb.CacheSharingOpt_LOCKED)

	e := g.ops[build].GetExec()
	if g.ops[build].Platform.Architecture != "amd64" {
		t.Errorf("cargo build runs on %s, want the build platform amd64 (cross-compiling)", g.ops[build].Platform.Architecture)
	}
	for _, kv := range []string{"CARGO_BUILD_TARGET=aarch64-unknown-linux-gnu", "CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc"} {
		if !slices.Contains(e.Meta.Env, kv) {
			t.Errorf("cargo build env lacks %s: %v", kv, e.Meta.Env)
		}
	}
	// The binary's name is an argument of a fixed script, never its text.
	script, rest := e.Meta.Args[2], e.Meta.Args[3:]
	if strings.Contains(script, "greeter") {
		t.Errorf("the build script holds the binary's name: %q", script)
	}
	want := []string{"cargo-build", "greeter", "cargo", "build", "--release", "--offline", "--bin", "greeter", "--locked"}
	if !slices.Equal(rest, want) {
		t.Errorf("cargo build args %q, want %q", rest, want)
	}
	if e.Network != pb.NetMode_NONE {
		t.Errorf("cargo build runs with network %s, want none: cargo fetch fetched everything", e.Network)
	}
	assertCache(t, e, "/root/.cache/cargo-target", "buildkit-lambda/rust/arm64/cargo-target", pb.CacheSharingOpt_LOCKED)
	if cp := g.ops[g.find("bootstrap to")].GetFile().Actions[0].GetCopy(); cp.Dest != "/var/runtime/bootstrap" {
		t.Errorf("bootstrap lands at %s, want /var/runtime/bootstrap", cp.Dest)
	}
	assertConfig(t, res, "rust", []string{"bootstrap"}, "GREETING=Hello")

	// Built for the builder's own architecture, nothing is installed.
	s, opt = example(t, "rust", amd64)
	_, g, _ = generate(t, s, opt)
	if g.find("cross toolchain") >= 0 {
		t.Errorf("an amd64 build on amd64 installs a cross toolchain:\n%s", g)
	}
}

func TestRustBinary(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, cargo string
		want              string // the --bin, or the start of the error
	}{
		{"package", "runtime: rust\n", "[package]\nname = \"fn\"\n", "fn"},
		{"one bin", "runtime: rust\n", "[package]\nname = \"fn\"\n[[bin]]\nname = \"handler\"\n", "handler"},
		{"rust.bin wins", "runtime: rust\nrust:\n  bin: other\n", "[package]\nname = \"fn\"\n", "other"},
		{"several bins", "runtime: rust\n", "[package]\nname = \"fn\"\n[[bin]]\nname = \"a\"\n[[bin]]\nname = \"b\"\n", "error: Cargo.toml has several binaries (a, b); name the one to ship with rust.bin"},
		{"workspace", "runtime: rust\n", "[workspace]\nmembers = [\"fns/*\"]\n", "error: Cargo.toml is a workspace with no package of its own"},
		{"workspace with rust.bin", "runtime: rust\nrust:\n  bin: orders\n", "[workspace]\nmembers = [\"fns/*\"]\n", "orders"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, opt := exampleWith(t, "rust", tc.yaml, amd64)
			opt.Files["Cargo.toml"] = []byte(tc.cargo)
			if _, err := llbgen.Generate(context.Background(), s, opt); err != nil {
				if !strings.HasPrefix("error: "+err.Error(), tc.want) {
					t.Errorf("error %q, want %q", err, tc.want)
				}
				return
			}
			_, g, _ := generate(t, s, opt)
			build := g.find("cargo build")
			if build < 0 || strings.HasPrefix(tc.want, "error") {
				t.Fatalf("built, want %q:\n%s", tc.want, g)
			}
			if args := g.ops[build].GetExec().Meta.Args; args[4] != tc.want {
				t.Errorf("builds %q, want %s", args, tc.want)
			}
		})
	}
}

func TestCustomRuntime(t *testing.T) {
	s, opt := example(t, "custom", arm64)
	res, g, _ := generate(t, s, opt)
	assertSources(t, g, "docker-image://public.ecr.aws/lambda/provided:al2023")
	code := g.find("copy . to /var/task")
	if code < 0 {
		t.Fatalf("no code layer:\n%s", g)
	}
	// One file operation, so one layer: the task root and the link.
	actions := g.ops[code].GetFile().Actions
	link := actions[len(actions)-1].GetSymlink()
	if link == nil || link.Oldpath != "/var/task/bootstrap" || link.Newpath != "/var/runtime/bootstrap" {
		t.Errorf("the code layer's last action is %v, want the link /var/runtime/bootstrap -> /var/task/bootstrap", actions[len(actions)-1])
	}
	assertConfig(t, res, "provided.al2023", []string{"function.handler"}, "GREETING=Hello")
}
