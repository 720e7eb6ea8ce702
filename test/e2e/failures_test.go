package e2e

import (
	"path/filepath"
	"testing"
)

// TestFailingStepsShowCauseAndLine breaks a build command and a dependency:
// the output must show the tool's own message, the failing command and the
// lambda.yaml line that declared the step.
func TestFailingStepsShowCauseAndLine(t *testing.T) {
	requireEnv(t)
	for _, tc := range []struct {
		name, example string
		change        func(dir string)
		flags         []string
		want          []string
	}{{
		name: "build command", example: "nodejs",
		change: func(dir string) {
			replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "    - npm run build\n", "    - npm run build\n    - npm run lint\n")
		},
		want: []string{
			"Missing script: \"lint\"", // npm's own words
			"npm run lint",
			"lambda.yaml:8",
			"   8 | >>>     - npm run lint",
		},
	}, {
		name: "dependency that does not exist", example: "python", flags: pipSecret(),
		change: func(dir string) {
			writeFile(t, filepath.Join(dir, "requirements.txt"), "humanize==4.4.0\nno-such-package-e2e==1.0\n")
		},
		want: []string{
			"No matching distribution found for no-such-package-e2e==1.0", // pip's own words
			"pip install",
			"lambda.yaml:3",
			"   3 | >>> runtime: python3.12",
		},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copyDir(t, examplePath(tc.example))
			tc.change(dir)
			buildFails(t, dir, tc.want, append([]string{"--provenance=false", "--progress", "plain"}, tc.flags...)...)
		})
	}
}
