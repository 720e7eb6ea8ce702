package e2e

import (
	"context"
	"strings"
	"testing"
)

// TestUnknownKeyShowsTheLine checks that a mistake in lambda.yaml fails the
// build with the file, the line and the line's text, as buildx shows
// Dockerfile errors.
func TestUnknownKeyShowsTheLine(t *testing.T) {
	requireEnv(t)
	dir := copyDir(t, examplePath("nodejs"))
	replaceInFile(t, dir+"/lambda.yaml", "  output: dist\n", "  output: dist\n  comands:\n    - npm test\n")
	out, err := buildx(context.Background(), dir, "-f", "lambda.yaml", "--build-arg", "BUILDKIT_SYNTAX="+frontend(t), "--provenance=false", ".")
	if err == nil {
		t.Fatalf("the build succeeded:\n%s", out)
	}
	for _, want := range []string{
		`lambda.yaml:9:3: build.comands: unknown key "comands" in build; did you mean "commands"?`,
		"lambda.yaml:9",         // buildx's excerpt header
		"   9 | >>>   comands:", // the offending line, marked
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic:") {
		t.Errorf("output has a Go stack trace:\n%s", out)
	}
}
