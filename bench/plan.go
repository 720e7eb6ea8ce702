package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// example is one function of examples/, with the edits the scenarios make.
type example struct {
	name string
	// code is the one handler line the code-only change rewrites; the new
	// line holds the run's number, so that no run finds the change in the
	// cache an earlier one left.
	code edit
	// depFiles are copied over the context for the dependency change, from
	// bench/changes/<name>; depStamp then puts the run's number in one of
	// them, for the same reason.
	depFiles []string
	depStamp edit
	// depChange says what the dependency change is.
	depChange string
}

// edit replaces old with new, a format taking the run's number, in file.
type edit struct{ file, old, new string }

var examples = []example{{
	name:     "nodejs",
	code:     edit{"src/app.ts", `process.env.GREETING ?? "Hello"`, `process.env.GREETING ?? "Hi %d"`},
	depFiles: []string{"package.json", "package-lock.json"}, depChange: "adds humanize-ms 1.2.1",
	depStamp: edit{"package.json", `"description": "`, `"description": "(bench run %d) `},
}, {
	name:     "python",
	code:     edit{"app.py", `os.environ.get("GREETING", "Hello")`, `os.environ.get("GREETING", "Hi %d")`},
	depFiles: []string{"requirements.txt"}, depChange: "adds six 1.16.0",
	depStamp: edit{"requirements.txt", "six==1.16.0\n", "six==1.16.0\n# bench run %d\n"},
}, {
	name:     "go",
	code:     edit{"cmd/greeter/main.go", `greeting = "Hello"`, `greeting = "Hi %d"`},
	depFiles: []string{"go.mod", "go.sum"}, depChange: "bumps aws-lambda-go 1.47.0 to 1.48.0",
	depStamp: edit{"go.mod", "go 1.26\n", "go 1.26\n\n// bench run %d\n"},
}}

// variant is one way of building an example.
type variant string

const (
	lambdaYAML variant = "lambda.yaml"
	expert     variant = "expert"
	naive      variant = "naive"
)

var variants = []variant{lambdaYAML, expert, naive}

// scenario is one build of a variant's sequence, each on the state the
// previous one left.
type scenario string

const (
	cold     scenario = "cold"
	warm     scenario = "warm no-op"
	codeOnly scenario = "code change"
	depOnly  scenario = "dependency change"
)

var scenarios = []scenario{cold, warm, codeOnly, depOnly}

// change edits the build context for a scenario of a run.
func (e example) change(repo, dir string, s scenario, run int) error {
	switch s {
	case codeOnly:
		return replaceIn(dir, e.code, run)
	case depOnly:
		for _, f := range e.depFiles {
			dt, err := os.ReadFile(filepath.Join(repo, "bench", "changes", e.name, f))
			if err != nil {
				return fmt.Errorf("reading %s: %w", f, err)
			}
			if err := os.WriteFile(filepath.Join(dir, f), dt, 0o644); err != nil {
				return fmt.Errorf("writing %s: %w", f, err)
			}
		}
		return replaceIn(dir, e.depStamp, run)
	}
	return nil
}

func replaceIn(dir string, ed edit, run int) error {
	p := filepath.Join(dir, ed.file)
	dt, err := os.ReadFile(p)
	if err != nil {
		return fmt.Errorf("reading %s: %w", ed.file, err)
	}
	if !strings.Contains(string(dt), ed.old) {
		return fmt.Errorf("%s no longer has %q; update bench/plan.go", ed.file, ed.old)
	}
	return os.WriteFile(p, []byte(strings.Replace(string(dt), ed.old, fmt.Sprintf(ed.new, run+1), 1)), 0o644)
}

// buildArgs are the docker buildx build arguments of a variant, less the
// context directory.
func (e example) buildArgs(repo, dir string, v variant, env *environment) []string {
	args := []string{"--platform", "linux/amd64", "--provenance=false"}
	switch v {
	case lambdaYAML:
		args = append(args, "-f", filepath.Join(dir, "lambda.yaml"), "--build-arg", "BUILDKIT_SYNTAX="+env.frontend)
	default:
		args = append(args, "-f", filepath.Join(repo, "bench", "dockerfiles", e.name, string(v)+".Dockerfile"))
	}
	if e.name == "python" {
		// The same private index for all: a secret where the build can
		// take one, a build argument in the naive Dockerfile.
		if v == naive {
			args = append(args, "--build-arg", "PIP_INDEX_URL="+env.pipIndex)
		} else {
			args = append(args, "--secret", "id=pip-index-url,env=PIP_INDEX_URL")
		}
	}
	return args
}
