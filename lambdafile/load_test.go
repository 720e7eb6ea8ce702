package lambdafile_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/internal/golden"
	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
)

// TestInvalid loads every file under testdata/invalid and compares the
// errors, one "line:column path: message" per line, with the .err file
// beside it. Regenerate with go test ./... -update and review the diff.
func TestInvalid(t *testing.T) {
	files, err := filepath.Glob("testdata/invalid/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(f)
			if err != nil {
				t.Fatal(err)
			}
			s, err := lambdafile.Load("lambda.yaml", data)
			if err == nil {
				t.Fatalf("loaded without error: %+v", s)
			}
			var errs lambdafile.Errors
			if !errors.As(err, &errs) {
				t.Fatalf("error %v is not lambdafile.Errors", err)
			}
			var b strings.Builder
			for _, e := range errs {
				if e.File != "lambda.yaml" {
					t.Errorf("error names file %q", e.File)
				}
				fmt.Fprintf(&b, "%d:%d %s: %s\n", e.Pos.Line, e.Pos.Column, e.Path, e.Msg)
			}
			golden.Check(t, strings.TrimSuffix(f, ".yaml")+".err", []byte(b.String()))
		})
	}
}

// TestValid loads every file under testdata/valid, the seeds of the
// fuzzers: each must load without error.
func TestValid(t *testing.T) {
	files, err := filepath.Glob("testdata/valid/*.yaml")
	if err != nil || len(files) == 0 {
		t.Fatalf("no test files: %v", err)
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := lambdafile.Load("lambda.yaml", data); err != nil {
			t.Errorf("%s: %v", f, err)
		}
	}
}

func TestDefaults(t *testing.T) {
	for _, tc := range []struct {
		in                      string
		arch                    lambdafile.Architecture
		handler, output, goMain string
	}{
		{"runtime: nodejs22\nhandler: app.handler\n", lambdafile.ArchX8664, "app.handler", ".", ""},
		{"runtime: go\n", lambdafile.ArchX8664, "bootstrap", ".", "."},
		{"runtime: go\narchitecture: arm64\ngo:\n  main: cmd/fn\n", lambdafile.ArchARM64, "bootstrap", ".", "cmd/fn"},
		{"runtime: python3.13\nhandler: pkg.mod.fn\nbuild:\n  output: src\n", lambdafile.ArchX8664, "pkg.mod.fn", "src", ""},
		// Paths are cleaned once, at load: "./" is ".", everywhere after.
		{"runtime: python3.13\nhandler: app.fn\nbuild:\n  output: ./\n", lambdafile.ArchX8664, "app.fn", ".", ""},
		{"runtime: python3.13\nhandler: app.fn\nbuild:\n  output: a/..\n", lambdafile.ArchX8664, "app.fn", ".", ""},
		{"runtime: python3.13\nhandler: app.fn\nbuild:\n  output: ./out/\n", lambdafile.ArchX8664, "app.fn", "out", ""},
		{"runtime: go\ngo:\n  main: ./cmd/fn/\n", lambdafile.ArchX8664, "bootstrap", ".", "cmd/fn"},
	} {
		s, err := lambdafile.Load("lambda.yaml", []byte(tc.in))
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		if s.Architecture != tc.arch || s.Handler != tc.handler || s.Build.Output != tc.output || s.Go.Main != tc.goMain {
			t.Errorf("%q: got arch=%s handler=%s output=%s main=%s", tc.in, s.Architecture, s.Handler, s.Build.Output, s.Go.Main)
		}
	}
}

func TestPositions(t *testing.T) {
	s, err := lambdafile.Load("lambda.yaml", []byte("# syntax=x\nruntime: nodejs22\nhandler: app.handler\nbuild:\n  commands:\n    - npm ci\n    - npm run build\n"))
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]lambdafile.Pos{
		"runtime":           {Line: 2, Column: 10},
		"build.commands[1]": {Line: 7, Column: 7},
		"missing":           {},
	} {
		if got := s.Pos(path); got != want {
			t.Errorf("Pos(%q) = %v, want %v", path, got, want)
		}
	}
}

func TestNumbersKeepTheirText(t *testing.T) {
	s, err := lambdafile.Load("lambda.yaml", []byte("runtime: go\ngo:\n  version: 1.20\nenv:\n  PORT: 8080\n"))
	if err != nil {
		t.Fatal(err)
	}
	if s.Go.Version != "1.20" || s.Env["PORT"] != "8080" {
		t.Errorf("version %q PORT %q, want the source text 1.20 and 8080", s.Go.Version, s.Env["PORT"])
	}
}

func TestUTF8ByteOrderMarkIsAccepted(t *testing.T) {
	if _, err := lambdafile.Load("lambda.yaml", []byte("\xef\xbb\xbfruntime: go\n")); err != nil {
		t.Fatal(err)
	}
}

// TestTestDefaults loads a test list: events become compact JSON, names and
// timeouts get their defaults, and event files are cleaned.
func TestTestDefaults(t *testing.T) {
	data, err := os.ReadFile("testdata/valid/tests.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s, err := lambdafile.Load("lambda.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	want := []lambdafile.Test{
		{Name: "inline event", Event: `{"name":"Ada","nested":{"list":[1,2.5,true,null,"text"]}}`, Expect: `{"statusCode":200}`, Timeout: "30s"},
		{Name: "test[1]", EventFile: "events/order.json", Timeout: "10s"},
		{Name: "fails", Event: `[]`, ExpectError: "ValueError", Timeout: "1m0s"},
	}
	if fmt.Sprint(s.Test) != fmt.Sprint(want) {
		t.Fatalf("got  %+v\nwant %+v", s.Test, want)
	}
	if d := s.Test[2].Deadline(); d.Seconds() != 60 {
		t.Errorf("deadline %s, want 1m", d)
	}
}

// TestBundleShorthand: "bundle: esbuild" and a mapping without tool both
// bundle with esbuild; no bundle key bundles nothing.
func TestBundleShorthand(t *testing.T) {
	for _, tc := range []struct {
		in      string
		enabled bool
		minify  bool
	}{
		{"runtime: nodejs22\nhandler: app.handler\nbuild:\n  bundle: esbuild\n", true, false},
		{"runtime: nodejs22\nhandler: app.handler\nbuild:\n  bundle:\n    minify: true\n", true, true},
		{"runtime: nodejs22\nhandler: app.handler\nbuild:\n  bundle:\n", false, false},
		{"runtime: nodejs22\nhandler: app.handler\n", false, false},
	} {
		s, err := lambdafile.Load("lambda.yaml", []byte(tc.in))
		if err != nil {
			t.Fatalf("%q: %v", tc.in, err)
		}
		b := s.Build.Bundle
		if b.Enabled() != tc.enabled || b.Minify != tc.minify || (tc.enabled && b.Tool != lambdafile.Esbuild) {
			t.Errorf("%q: got %+v, want enabled=%v minify=%v", tc.in, b, tc.enabled, tc.minify)
		}
	}
}

// TestBundleEntries: with build.bundle, the handler may be in TypeScript,
// and the context check looks for it.
func TestBundleEntries(t *testing.T) {
	s, err := lambdafile.Load("lambda.yaml", []byte("runtime: nodejs22\nhandler: src/app.handler\nbuild:\n  bundle: esbuild\n"))
	if err != nil {
		t.Fatal(err)
	}
	got := strings.Join(s.HandlerFiles(), " ")
	if want := "src/app.js src/app.mjs src/app.cjs src/app.ts src/app.mts src/app.cts"; got != want {
		t.Errorf("HandlerFiles = %s, want %s", got, want)
	}
}
