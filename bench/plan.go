package main

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
)

// function is one real-sized function under bench/functions, with the
// edits the scenarios make.
type function struct {
	name string
	// base is the stand-in the function's image is built on, whose layers
	// are not counted as the function's.
	base string
	// code is the one handler line a code change rewrites; the new line
	// holds a number no earlier build used, so that no build finds the
	// change in a cache an earlier one left.
	code edit
	// depFiles are copied over the context for the dependency change, from
	// bench/changes/<name>; depStamp then puts the run's number in one of
	// them, for the same reason.
	depFiles []string
	depStamp edit
	// depChange says what the dependency change is.
	depChange string
	// bundled says that lambda.bundle.yaml builds the same function with
	// build.bundle, a variant of its own.
	bundled bool
	// services are the functions of a monorepo, which docker-bake.hcl in
	// its directory builds in one docker buildx bake, one image each; none
	// for a function built alone.
	services []string
	// only limits the variants of the plan the function goes through; all
	// when empty.
	only []variant
}

// edit replaces old with new, a format taking a number, in file.
type edit struct{ file, old, new string }

var functions = []function{{
	name: "nodejs-api", base: "lambda/nodejs:22",
	code:     edit{"src/routes.ts", `process.env.GREETING ?? "Hello"`, `process.env.GREETING ?? "Hi %d"`},
	depFiles: []string{"package.json", "package-lock.json"}, depChange: "bumps zod 4.6.6 to 4.6.7",
	depStamp: edit{"package.json", `"description": "`, `"description": "(bench run %d) `},
	bundled:  true,
}, {
	name: "python-data", base: "lambda/python:3.12",
	code:     edit{"app.py", `os.environ.get("GREETING", "Hello")`, `os.environ.get("GREETING", "Hi %d")`},
	depFiles: []string{"requirements.txt"}, depChange: "bumps tzdata 2026.5 to 2026.6",
	depStamp: edit{"requirements.txt", "tzdata==2026.6\n", "tzdata==2026.6\n# bench run %d\n"},
}, {
	name: "go-sdk", base: "lambda/provided:al2023",
	code:     edit{"cmd/orders/main.go", `const greeting = "Hello"`, `const greeting = "Hi %d"`},
	depFiles: []string{"go.mod", "go.sum"}, depChange: "bumps aws-lambda-go 1.54.0 to 1.55.1",
	depStamp: edit{"go.mod", "go 1.26\n", "go 1.26\n\n// bench run %d\n"},
}, {
	name: "java-sdk", base: "lambda/java:21",
	code:     edit{"src/main/java/example/Handler.java", `GREETING = "Hello"`, `GREETING = "Hi %d"`},
	depFiles: []string{"pom.xml"}, depChange: "bumps Jackson 2.19.2 to 2.19.4",
	depStamp: edit{"pom.xml", "<description>", "<description>(bench run %d) "},
}, {
	// Five functions of one npm workspace, whose shared lockfile any
	// dependency change rewrites: every service's install reruns. Built
	// for amd64 alone; the arm64 comparison is the other functions'.
	name: "monorepo", base: "lambda/nodejs:22",
	services: []string{"orders", "users", "payments", "inventory", "notify"},
	only:     []variant{lambdaYAML, expert},
	code:     edit{"services/orders/index.js", `const GREETING = "Order received"`, `const GREETING = "Order %d received"`},
	depFiles: []string{"package-lock.json", "services/notify/package.json"}, depChange: "bumps mustache 4.1.0 to 4.2.0 in services/notify",
	depStamp: edit{"package.json", `"description": "`, `"description": "(bench run %d) `},
}}

// variant is one way of building a function.
type variant string

const (
	lambdaYAML variant = "lambda.yaml"
	bundled    variant = "lambda.yaml bundled"
	expert     variant = "expert"
	naive      variant = "naive"
	// The arm64 variants build linux/arm64 on this amd64 machine:
	// lambda.yaml without an emulator, the expert Dockerfile with QEMU
	// registered, as Docker Desktop and the SAM CLI build it.
	lambdaArm64 variant = "lambda.yaml arm64"
	expertArm64 variant = "expert arm64 under QEMU"
)

// step is a variant and the scenarios it goes through, in order.
type step struct {
	variant   variant
	scenarios []scenario
}

// plan is the scenarios each variant goes through, in order. The naive
// Dockerfile caches nothing, so its dependency change would repeat its
// cold build. The bundled variant differs from lambda.yaml in the steps
// after the install, which the three scenarios it goes through run. The
// arm64 variants show what emulation costs where it runs: in the installs
// of a cold build (the expert's code change compiles on the build
// platform). Each sequence costs minutes, and the whole plan must fit in
// make bench's 45.
var plan = []step{
	{lambdaYAML, []scenario{cold, warm, codeOnly, depOnly, registry}},
	{bundled, []scenario{cold, codeOnly, depOnly}},
	{expert, []scenario{cold, warm, codeOnly, depOnly, registry}},
	{naive, []scenario{cold, warm, codeOnly}},
	{lambdaArm64, []scenario{cold}},
	{expertArm64, []scenario{cold}},
}

// variants are the variants of the plan that apply to f.
func (f function) variants() []variant {
	var vs []variant
	for _, p := range plan {
		if (p.variant != bundled || f.bundled) && (len(f.only) == 0 || slices.Contains(f.only, p.variant)) {
			vs = append(vs, p.variant)
		}
	}
	return vs
}

func scenariosOf(v variant) []scenario {
	for _, p := range plan {
		if p.variant == v {
			return p.scenarios
		}
	}
	return nil
}

// arch is the architecture a variant builds for.
func (v variant) arch() string {
	if v == lambdaArm64 || v == expertArm64 {
		return "arm64"
	}
	return "amd64"
}

// isLambdaYAML says whether the variant builds a lambda.yaml, through this
// project's frontend.
func (v variant) isLambdaYAML() bool { return v == lambdaYAML || v == bundled || v == lambdaArm64 }

// emulated says whether the variant needs QEMU registered.
func (v variant) emulated() bool { return v == expertArm64 }

// scenario is one build of a variant's sequence, each on the state the
// previous one left.
type scenario string

const (
	cold     scenario = "cold"
	warm     scenario = "warm no-op"
	codeOnly scenario = "code change"
	depOnly  scenario = "dependency change"
	// registry is a code change built by a fresh builder that imports the
	// registry cache the previous builder exported: a CI runner's build.
	registry scenario = "fresh builder, registry cache"
)

var scenarios = []scenario{cold, warm, codeOnly, depOnly, registry}

// change edits the build context for a scenario of a run. Code changes
// start from the function's own file, so that each finds the line it
// rewrites.
func (f function) change(repo, dir string, s scenario, run int) error {
	switch s {
	case codeOnly, registry:
		n := 2*run + 1
		if s == registry {
			n++
		}
		return replaceIn(filepath.Join(repo, "bench", "functions", f.name), dir, f.code, n)
	case depOnly:
		for _, file := range f.depFiles {
			dt, err := os.ReadFile(filepath.Join(repo, "bench", "changes", f.name, file))
			if err != nil {
				return fmt.Errorf("reading %s: %w", file, err)
			}
			if err := os.WriteFile(filepath.Join(dir, file), dt, 0o644); err != nil {
				return fmt.Errorf("writing %s: %w", file, err)
			}
		}
		return replaceIn(dir, dir, f.depStamp, run+1)
	}
	return nil
}

// replaceIn writes ed.file of from, edited, to the same file of to.
func replaceIn(from, to string, ed edit, n int) error {
	dt, err := os.ReadFile(filepath.Join(from, ed.file))
	if err != nil {
		return fmt.Errorf("reading %s: %w", ed.file, err)
	}
	if !strings.Contains(string(dt), ed.old) {
		return fmt.Errorf("%s no longer has %q; update bench/plan.go", ed.file, ed.old)
	}
	return os.WriteFile(filepath.Join(to, ed.file), []byte(strings.Replace(string(dt), ed.old, fmt.Sprintf(ed.new, n), 1)), 0o644)
}

// buildArgs are the docker buildx build arguments of a variant, less the
// context directory; frontend is the frontend image, if any.
func (f function) buildArgs(repo, dir string, v variant, frontend string) []string {
	args := []string{"--platform", "linux/" + v.arch(), "--provenance=false"}
	if frontend != "" {
		args = append(args, "--build-arg", "BUILDKIT_SYNTAX="+frontend)
	}
	switch v {
	case lambdaYAML, lambdaArm64:
		args = append(args, "-f", filepath.Join(dir, "lambda.yaml"))
	case bundled:
		args = append(args, "-f", filepath.Join(dir, "lambda.bundle.yaml"))
	case expertArm64:
		args = append(args, "-f", filepath.Join(repo, "bench", "dockerfiles", f.name, "expert.Dockerfile"))
	default:
		args = append(args, "-f", filepath.Join(repo, "bench", "dockerfiles", f.name, string(v)+".Dockerfile"))
	}
	return args
}
