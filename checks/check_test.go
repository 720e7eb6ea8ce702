package checks_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/checks"
	"github.com/buildkit-lambda/buildkit-lambda/internal/golden"
	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

var _ = golden.Update // every test binary takes -update

func TestCheck(t *testing.T) {
	const node = "runtime: nodejs22\nhandler: app.handler\n"
	pinned := "base: public.ecr.aws/lambda/nodejs:22@sha256:" + strings.Repeat("a", 64) + "\n"
	for _, tc := range []struct {
		name, yaml string
		in         checks.CheckInput
		// want lists "level rule path" of each finding, in order.
		want []string
		// msg is part of the first finding's message.
		msg string
	}{{
		name: "clean", yaml: node + pinned,
		in: checks.CheckInput{Files: files("app.js")},
	}, {
		name: "base not pinned", yaml: node,
		in:   checks.CheckInput{Files: files("app.js")},
		want: []string{"info ImageNotPinned runtime"}, msg: "pin it as public.ecr.aws/lambda/nodejs:22@sha256:...",
	}, {
		name: "build image not pinned", yaml: node + pinned + "build:\n  image: node:22\n  commands: [make]\n",
		want: []string{"info ImageNotPinned build.image"},
	}, {
		name: "platform disagrees", yaml: node + pinned + "architecture: arm64\n",
		in:   checks.CheckInput{Files: files("app.mjs"), TargetPlatform: &amd64},
		want: []string{"warning ArchitectureMismatch architecture"}, msg: "--platform linux/amd64 builds for x86_64, but lambda.yaml says architecture: arm64",
	}, {
		name: "platform agrees", yaml: node + pinned + "architecture: arm64\n",
		in: checks.CheckInput{Files: files("app.cjs"), TargetPlatform: &arm64},
	}, {
		name: "deprecated runtime", yaml: "runtime: nodejs20\nhandler: app.handler\n" + strings.Replace(pinned, ":22@", ":20@", 1),
		in:   checks.CheckInput{Files: files("app.js")},
		want: []string{"warning DeprecatedRuntime runtime"}, msg: "AWS deprecated nodejs20.x on 2026-04-30: its base image gets no more security patches, and .zip functions on it can no longer be created or updated; move to nodejs24",
	}, {
		name: "handler missing", yaml: node + pinned,
		in:   checks.CheckInput{Files: files("index.js")},
		want: []string{"error HandlerNotFound handler"}, msg: "handler app.handler needs app.js, app.mjs or app.cjs in the build context",
	}, {
		name: "handler excluded by dockerignore", yaml: "runtime: python3.13\nhandler: pkg.app.handler\n",
		in:   checks.CheckInput{Ignore: []string{"pkg/*.py"}},
		want: []string{"error HandlerNotFound handler", "info ImageNotPinned runtime"}, msg: ".dockerignore excludes pkg/app.py, so add !pkg/app.py to it",
	}, {
		name: "python package handler", yaml: "runtime: python3.13\nhandler: pkg.handler\nbuild:\n  output: src\n",
		in:   checks.CheckInput{Files: files("src/pkg/__init__.py")},
		want: []string{"info ImageNotPinned runtime"},
	}, {
		name: "pyproject without a lock", yaml: "runtime: python3.13\nhandler: app.handler\nbase: public.ecr.aws/lambda/python:3.13@sha256:" + strings.Repeat("c", 64) + "\n",
		in:   checks.CheckInput{Files: map[string][]byte{"app.py": nil, "pyproject.toml": []byte("[project]\ndependencies = [\"x\"]\n")}},
		want: []string{"warning UnlockedDependencies runtime"}, msg: "pyproject.toml declares dependencies without a lockfile",
	}, {
		name: "uv.lock is a lock", yaml: "runtime: python3.13\nhandler: app.handler\nbase: public.ecr.aws/lambda/python:3.13@sha256:" + strings.Repeat("c", 64) + "\n",
		in: checks.CheckInput{Files: map[string][]byte{"app.py": nil, "pyproject.toml": nil, "uv.lock": nil}},
	}, {
		name: "handler built by commands", yaml: node + pinned + "build:\n  commands: [tsc]\n  output: dist\n",
	}, {
		name: "go has no handler file", yaml: "runtime: go\nbase: public.ecr.aws/lambda/provided:al2023@sha256:" + strings.Repeat("b", 64) + "\n",
	}, {
		name: "secret-looking names", yaml: node + pinned + "env:\n  DB_PASSWORD: hunter2\n  TOKEN_URL: \"\"\nbuild:\n  env:\n    NPM_TOKEN: abc\nargs:\n  API_KEY: k\n",
		in:   checks.CheckInput{Files: files("app.js")},
		want: []string{"warning SecretInEnv args.API_KEY", "warning SecretInEnv build.env.NPM_TOKEN", "warning SecretInEnv env.DB_PASSWORD"},
		msg:  "API_KEY looks like a secret, and build arguments are recorded in the build history; mount it with secrets:",
	}, {
		name: "undeclared build arg", yaml: node + pinned + "args:\n  STAGE: dev\n",
		in: checks.CheckInput{Files: files("app.js"), BuildArgs: map[string]string{
			"STAEG": "prod", "BUILDKIT_SYNTAX": "x", "SOURCE_DATE_EPOCH": "0", "HTTP_PROXY": "p", "STAGE": "qa"}},
		want: []string{"warning UndeclaredBuildArg args"}, msg: `--build-arg STAEG: lambda.yaml declares no such build argument, so nothing uses it; declare it under args:; did you mean "STAGE"?`,
	}, {
		name: "handler is a link outside the context", yaml: node + pinned,
		in:   checks.CheckInput{Links: map[string]string{"app.js": "/etc/passwd"}},
		want: []string{"error SymlinkOutsideContext handler"}, msg: "app.js is a symbolic link to /etc/passwd, outside the build context",
	}, {
		name: "handler directory climbs out", yaml: "runtime: python3.13\nhandler: pkg.app.handler\n" + strings.Replace(pinned, "nodejs:22", "python:3.13", 1),
		in:   checks.CheckInput{Links: map[string]string{"pkg": "../../shared/pkg"}},
		want: []string{"error SymlinkOutsideContext handler"}, msg: "pkg is a symbolic link to ../../shared/pkg",
	}, {
		name: "link inside the context is fine", yaml: node + pinned + "build:\n  output: lib\n",
		in: checks.CheckInput{Files: files("lib/app.js"), Links: map[string]string{"lib": "src/../build/lib"}},
	}, {
		name: "build output climbs out", yaml: node + pinned + "build:\n  commands: [tsc]\n  output: out/dist\n",
		in:   checks.CheckInput{Links: map[string]string{"out": "sub/../../.."}},
		want: []string{"error SymlinkOutsideContext build.output"}, msg: "out is a symbolic link to sub/../../..",
	}, {
		name: "go main is an absolute link", yaml: "runtime: go\ngo:\n  main: ./cmd/fn\nbase: public.ecr.aws/lambda/provided:al2023@sha256:" + strings.Repeat("b", 64) + "\n",
		in:   checks.CheckInput{Links: map[string]string{"cmd/fn": "/src/fn"}},
		want: []string{"error SymlinkOutsideContext go.main"}, msg: "cmd/fn is a symbolic link to /src/fn",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := lambdafile.Load("lambda.yaml", []byte(tc.yaml))
			if err != nil {
				t.Fatal(err)
			}
			if tc.in.Today.IsZero() {
				tc.in.Today = today
			}
			got := checks.Check(s, tc.in)
			var short []string
			for _, f := range got {
				short = append(short, fmt.Sprintf("%s %s %s", f.Level, f.Rule, f.Path))
			}
			if strings.Join(short, "\n") != strings.Join(tc.want, "\n") {
				t.Fatalf("findings:\n%s\nwant:\n%s\nfull: %+v", strings.Join(short, "\n"), strings.Join(tc.want, "\n"), got)
			}
			if tc.msg != "" && !strings.Contains(got[0].Msg, tc.msg) {
				t.Errorf("message %q lacks %q", got[0].Msg, tc.msg)
			}
		})
	}
}

func TestLinkProbes(t *testing.T) {
	for _, tc := range []struct{ yaml, want string }{
		{"runtime: nodejs22\nhandler: src/app.handler\n", "src src/app.cjs src/app.js src/app.mjs"},
		{"runtime: python3.13\nhandler: pkg.app.handler\nbuild:\n  output: a/b\n", "a a/b a/b/pkg a/b/pkg/app a/b/pkg/app.py a/b/pkg/app/__init__.py src src/pkg src/pkg/app src/pkg/app.py src/pkg/app/__init__.py"},
		{"runtime: nodejs22\nhandler: app.handler\nbuild:\n  commands: [tsc]\n  output: dist\n", "dist"},
		{"runtime: go\ngo:\n  main: ./cmd/fn/\n", "cmd cmd/fn"},
		{"runtime: go\n", ""},
	} {
		s, err := lambdafile.Load("lambda.yaml", []byte(tc.yaml))
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.Join(checks.LinkProbes(s), " "); got != tc.want {
			t.Errorf("%q: probes %q, want %q", tc.yaml, got, tc.want)
		}
	}
}

var (
	amd64 = ocispecs.Platform{OS: "linux", Architecture: "amd64"}
	arm64 = ocispecs.Platform{OS: "linux", Architecture: "arm64"}
	// today is a fixed day, so deprecations do not change the findings.
	today = time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC)
)

func files(names ...string) map[string][]byte {
	m := map[string][]byte{}
	for _, n := range names {
		m[n] = []byte("x")
	}
	return m
}
