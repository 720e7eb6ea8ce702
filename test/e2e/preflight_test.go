package e2e

import (
	"cmp"
	"os"
	"path/filepath"
	"testing"
)

// TestPreflightChecks builds broken functions, one per check the build runs
// on the finished image, and checks that the build fails saying what
// Lambda would have done.
func TestPreflightChecks(t *testing.T) {
	requireEnv(t)
	hostELF, err := os.ReadFile("/bin/true") // an x86-64 binary on this machine
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		// example is an example's name; project, when set, is the
		// test project built in its place.
		name, example, project, platform string
		change                           func(t *testing.T, dir string) []string
		want                             []string
	}{{
		name: "handler", example: "nodejs", platform: "linux/amd64",
		change: func(t *testing.T, dir string) []string {
			// The build commands make dist/app.js; the handler names main.
			replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "handler: app.handler", "handler: main.handler")
			return nil
		},
		want: []string{"preflight handler: handler main.handler needs /var/task/main.js or /var/task/main.mjs or /var/task/main.cjs",
			"Runtime.ImportModuleError", "(the task root holds: app.js", ">>> handler: main.handler"},
	}, {
		// The class the handler names is not the one the sources declare.
		name: "java class", example: "java", platform: "linux/arm64",
		change: func(t *testing.T, dir string) []string {
			replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "handler: example.Handler::handleRequest", "handler: example.Greeter::handleRequest")
			return nil
		},
		want: []string{"preflight handler: handler example.Greeter::handleRequest needs /var/task/example/Greeter.class, or example/Greeter.class in a jar of /var/task/lib",
			"java.lang.ClassNotFoundException", "(the task root holds: example/ lib/)", ">>> handler: example.Greeter::handleRequest"},
	}, {
		name: "native code", example: "python", platform: "linux/arm64",
		change: func(t *testing.T, dir string) []string {
			os.MkdirAll(filepath.Join(dir, "native"), 0o755)
			if err := os.WriteFile(filepath.Join(dir, "native", "helper.so"), hostELF, 0o755); err != nil {
				t.Fatal(err)
			}
			return pipSecret()
		},
		want: []string{"preflight native code: /var/task/native/helper.so is native code for EM_X86_64 in an image for arm64"},
	}, {
		// A gem prebuilt for x86_64-linux alone, which Bundler on the
		// amd64 builder installs for an arm64 image.
		name: "native gem", project: filepath.Join("testdata", "ruby-native"), platform: "linux/arm64",
		change: func(*testing.T, string) []string { return nil },
		want:   []string{"preflight native code: /var/task/vendor/bundle/ruby/3.3.0/gems/redcarpet-3.5.1-x86_64-linux/lib/redcarpet.so is native code for EM_X86_64 in an image for arm64"},
	}, {
		// A dependency the handler imports but requirements.txt leaves out.
		name: "imports", example: "python", platform: "linux/amd64",
		change: func(t *testing.T, dir string) []string {
			replaceInFile(t, filepath.Join(dir, "app.py"), "import humanize\n", "import humanize\nimport orjson\n")
			return pipSecret()
		},
		want: []string{"preflight imports: /var/task/app.py imports orjson, which the image does not have",
			"No module named 'orjson'"},
	}, {
		// A package the handler requires that package.json has in
		// devDependencies: npm ci --omit=dev leaves it out of the image.
		name: "node imports", project: filepath.Join("testdata", "node-npm"), platform: "linux/arm64",
		change: func(t *testing.T, dir string) []string {
			replaceInFile(t, filepath.Join(dir, "index.js"), `const ms = require("ms");`, `const ms = require("ms");
const isNumber = require("is-number");`)
			return nil
		},
		want: []string{"preflight imports: /var/task/index.js imports is-number, which the image does not have",
			"Runtime.ImportModuleError (Error: Cannot find module 'is-number'). Add is-number to package.json's dependencies (the image installs no devDependencies)"},
	}, {
		name: "bootstrap", example: "go", platform: "linux/arm64",
		change: func(t *testing.T, dir string) []string {
			// go build -o writes an archive, not a program, for a package
			// that is not package main.
			writeFile(t, filepath.Join(dir, "greet", "greet.go"), "package greet\n\nfunc Hello() string { return \"hello\" }\n")
			replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "main: ./cmd/greeter", "main: ./greet")
			return nil
		},
		want: []string{"preflight bootstrap: /var/runtime/bootstrap is a Go package archive, not a program: go.main names a package that is not package main"},
	}, {
		name: "permissions", example: "go", platform: "linux/arm64",
		change: func(t *testing.T, dir string) []string {
			// A base image whose task root has a file only root can read.
			base := t.TempDir()
			os.MkdirAll(filepath.Join(base, "var", "task"), 0o755)
			if err := os.WriteFile(filepath.Join(base, "var", "task", "private.conf"), []byte("x"), 0o600); err != nil {
				t.Fatal(err)
			}
			return []string{"--build-context", "public.ecr.aws/lambda/provided:al2023=" + base}
		},
		want: []string{"preflight permissions: /var/task/private.conf has mode 600; Lambda runs the function as a user that cannot read it"},
	}, {
		// A C bootstrap compiled in the rust image, whose Debian glibc is
		// newer than Amazon Linux 2's: every program it links needs
		// __libc_start_main@GLIBC_2.34.
		name: "glibc", example: "custom", platform: "linux/amd64",
		change: func(t *testing.T, dir string) []string {
			compileBootstrap(t, dir, "provided.al2", `int main(void) { puts("hi"); return 0; }`, "")
			return nil
		},
		want: []string{"preflight bootstrap: /var/runtime/bootstrap needs glibc 2.34 (for __libc_start_main@GLIBC_2.34), newer than the 2.26 of Amazon Linux 2, which provided.al2 runs on"},
	}, {
		// A C bootstrap linked with SQLite, which the rust image has and
		// the provided base does not.
		name: "shared library", example: "custom", platform: "linux/amd64",
		change: func(t *testing.T, dir string) []string {
			compileBootstrap(t, dir, "provided.al2023", "const char *sqlite3_libversion(void);\nint main(void) { puts(sqlite3_libversion()); return 0; }", "-l:libsqlite3.so.0")
			return nil
		},
		want: []string{"preflight bootstrap: /var/runtime/bootstrap needs libsqlite3.so.0, which the image does not have where the dynamic loader looks",
			"Runtime.ExitError (error while loading shared libraries: libsqlite3.so.0: cannot open shared object file)"},
	}, {
		name: "interpreter", example: "custom", platform: "linux/arm64",
		change: func(t *testing.T, dir string) []string {
			replaceInFile(t, filepath.Join(dir, "bootstrap"), "#!/bin/sh", "#!/usr/bin/env python3")
			return nil
		},
		want: []string{"preflight bootstrap: /var/runtime/bootstrap runs python3 through env, and the image has no python3 in /var/lang/bin:/usr/local/bin:/usr/bin:/bin:/opt/bin"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyDir(t, cmp.Or(tc.project, examplePath(tc.example)))
			useGemSource(t, dir)
			flags := tc.change(t, dir)
			buildFails(t, dir, tc.want, append([]string{"--platform", tc.platform, "--provenance=false", "--progress", "plain"}, flags...)...)
		})
	}
}

// compileBootstrap turns the custom example in dir into a C bootstrap for
// runtime, compiled from the body of main.c (after #include <stdio.h>) in
// the rust image with cc and the link flags libs.
func compileBootstrap(t *testing.T, dir, runtime, body, libs string) {
	t.Helper()
	writeFile(t, filepath.Join(dir, "main.c"), "#include <stdio.h>\n"+body+"\n")
	remove(t, filepath.Join(dir, "bootstrap"))
	replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "runtime: provided.al2023",
		"runtime: "+runtime+"\nbuild:\n  image: rust:1.85\n  commands:\n    - cc -O2 -o bootstrap main.c "+libs)
}
