package e2e

import (
	"os"
	"path/filepath"
	"testing"
)

// TestContextProblems builds examples whose build context is wrong, not
// their lambda.yaml: each build must fail with a message that names the
// field's line and the fix. All but go.main fail before any step runs.
func TestContextProblems(t *testing.T) {
	requireEnv(t)
	for _, tc := range []struct {
		name, example string
		change        func(dir string)
		want          []string
	}{{
		// Without a lockfile the build goes on, with a warning (the
		// matrix's node-unlocked case); a lockfile alone is an error.
		name: "lockfile without package.json", example: "nodejs",
		change: func(dir string) { remove(t, filepath.Join(dir, "package.json")) },
		want:   []string{"package-lock.json has no package.json beside it", ">>> runtime: nodejs22"},
	}, {
		name: "missing go.mod", example: "go",
		change: func(dir string) { remove(t, filepath.Join(dir, "go.mod")) },
		want:   []string{"runtime go needs go.mod at the root of the build context", ">>> runtime: go"},
	}, {
		name: "missing Cargo.toml", example: "rust",
		change: func(dir string) { remove(t, filepath.Join(dir, "Cargo.toml")) },
		want:   []string{"runtime rust needs Cargo.toml at the root of the build context", ">>> runtime: rust"},
	}, {
		name: "missing pom.xml", example: "java",
		change: func(dir string) { remove(t, filepath.Join(dir, "pom.xml")) },
		want:   []string{"runtime java21 builds a Maven project (pom.xml) or a Gradle one (build.gradle or build.gradle.kts), and the build context has neither at its root", ">>> runtime: java21"},
	}, {
		name: "go.main does not exist", example: "go",
		change: func(dir string) {
			replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "main: ./cmd/greeter", "main: ./cmd/greter")
		},
		want: []string{"cmd/greter: directory not found", ">>>   main: ./cmd/greter"},
	}, {
		name: "handler not in the context", example: "python",
		change: func(dir string) {
			replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "handler: app.handler", "handler: main.handler")
		},
		want: []string{"handler main.handler needs main.py, main/__init__.py, src/main.py or src/main/__init__.py in the build context", ">>> handler: main.handler"},
	}, {
		name: "Ruby handler not in the context", example: "ruby",
		change: func(dir string) {
			replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "handler: app.handler", "handler: lambda_function.handler")
		},
		want: []string{"handler lambda_function.handler needs lambda_function.rb in the build context", ">>> handler: lambda_function.handler"},
	}, {
		name: "Gemfile.lock without Gemfile", example: "ruby",
		change: func(dir string) { remove(t, filepath.Join(dir, "Gemfile")) },
		want:   []string{"Gemfile.lock has no Gemfile beside it", ">>> runtime: ruby3.3"},
	}, {
		name: "handler excluded by .dockerignore", example: "python",
		change: func(dir string) { writeFile(t, filepath.Join(dir, ".dockerignore"), "*.py\n") },
		want:   []string{".dockerignore excludes app.py, so add !app.py to it", ">>> handler: app.handler"},
	}, {
		name: "handler is a link outside the context", example: "python",
		change: func(dir string) {
			outside := filepath.Join(t.TempDir(), "app.py")
			writeFile(t, outside, "def handler(event, context):\n    return 1\n")
			remove(t, filepath.Join(dir, "app.py"))
			symlink(t, outside, filepath.Join(dir, "app.py"))
		},
		want: []string{"app.py is a symbolic link to /", "outside the build context", ">>> handler: app.handler"},
	}, {
		name: "build output climbs out of the context", example: "nodejs",
		change: func(dir string) {
			replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "  output: dist", "  output: out/dist")
			symlink(t, "../..", filepath.Join(dir, "out"))
		},
		want: []string{"out is a symbolic link to ../..", ">>>   output: out/dist"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyDir(t, examplePath(tc.example))
			tc.change(dir)
			buildFails(t, dir, tc.want, "--provenance=false", "--progress", "plain")
		})
	}
}

func remove(t *testing.T, path string) {
	t.Helper()
	if err := os.Remove(path); err != nil {
		t.Fatal(err)
	}
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}
