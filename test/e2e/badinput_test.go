package e2e

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
)

// TestUnknownKeyShowsTheLine checks that a mistake in lambda.yaml fails the
// build with the file, the line and the line's text, as buildx shows
// Dockerfile errors.
func TestUnknownKeyShowsTheLine(t *testing.T) {
	requireEnv(t)
	dir := copyDir(t, examplePath("nodejs"))
	replaceInFile(t, dir+"/lambda.yaml", "  output: dist\n", "  output: dist\n  comands:\n    - npm test\n")
	buildFails(t, dir, []string{
		`lambda.yaml:9:3: build.comands: unknown key "comands" in build; did you mean "commands"?`,
		"lambda.yaml:9",         // buildx's excerpt header
		"   9 | >>>   comands:", // the offending line, marked
	}, "--provenance=false")
}

// TestInvalidFilesThroughBuildx builds files of the loader's error corpus
// (lambdafile/testdata/invalid) with docker buildx build. The output must hold
// the loader's first message, with file, line and column, and buildx's
// excerpt of that line.
func TestInvalidFilesThroughBuildx(t *testing.T) {
	requireEnv(t)
	for _, name := range []string{
		"unknown-runtime", "unknown-nested-key", "duplicate-key", "tab-indent", "two-documents",
		"wrong-type-commands", "malformed-handler-node", "handler-traversal", "reserved-env",
		"args-unknown-reference", "ssh-bad-ids", "go-main-injection", "handler-nul",
	} {
		t.Run(name, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("../../lambdafile/testdata/invalid", name+".yaml"))
			if err != nil {
				t.Fatal(err)
			}
			_, loadErr := lambdafile.Load("lambda.yaml", data)
			var errs lambdafile.Errors
			if !errors.As(loadErr, &errs) || errs[0].Pos.Line == 0 {
				t.Fatalf("%s.yaml: want a located error from the loader, got %v", name, loadErr)
			}
			first := errs[0]
			dir := copyDir(t, examplePath("python"))
			writeFile(t, filepath.Join(dir, "lambda.yaml"), string(data))
			line := strings.Split(string(data), "\n")[first.Pos.Line-1]
			buildFails(t, dir, []string{
				first.Error(),
				fmt.Sprintf("lambda.yaml:%d\n", first.Pos.Line),
				fmt.Sprintf("%4d | >>> %s", first.Pos.Line, line),
			}, "--provenance=false")
		})
	}
}
