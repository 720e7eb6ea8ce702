package e2e

import (
	"fmt"
	"maps"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestOutputDotSlashShipsWhatDotShips: build.output "./" once skipped the
// code layer's exclusions and shipped a requirements.txt whose index URL
// holds a password. Both spellings must ship the same files, and never
// the requirements file.
func TestOutputDotSlashShipsWhatDotShips(t *testing.T) {
	requireEnv(t)
	shipped := map[string]map[string]fileInfo{}
	for _, output := range []string{".", "./"} {
		dir := copyDir(t, examplePath("python"))
		// The credentials travel in the file, as many projects do it.
		writeFile(t, filepath.Join(dir, "requirements.txt"), "--index-url "+pipIndexURL+"\nhumanize==4.4.0\n")
		replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "env:\n", "build:\n  output: "+output+"\nenv:\n")
		ref := fmt.Sprintf("%s/e2e/output-spelling:%x", env.registry, output)
		buildExample(t, dir, ref, "linux/amd64")
		img, _ := image(t, ref)
		base, _ := image(t, env.registry+"/lambda/python:3.12")
		baseLayers, _ := base.Layers()
		layers, err := img.Layers()
		if err != nil || len(layers) <= len(baseLayers) {
			t.Fatalf("%s: %d layers on a base of %d (%v)", ref, len(layers), len(baseLayers), err)
		}
		files := addedFiles(t, layers[len(baseLayers):])
		for _, leak := range []string{"var/task/requirements.txt", "var/task/lambda.yaml"} {
			if _, ok := files[leak]; ok {
				t.Errorf("build.output %q ships %s", output, leak)
			}
		}
		if _, ok := files["var/task/humanize/__init__.py"]; !ok {
			t.Errorf("build.output %q: the dependencies are missing", output)
		}
		shipped[output] = files
	}
	if a, b := slices.Sorted(maps.Keys(shipped["."])), slices.Sorted(maps.Keys(shipped["./"])); !slices.Equal(a, b) {
		t.Errorf("build.output \"./\" ships %q, \".\" ships %q", b, a)
	}
}

// TestGoToolchainLinePicksTheImage: go.mod's toolchain line names the
// compile image, over its go line. Only the toolchain's golang image is
// in the test registry, so the build fails unless it is the one used.
func TestGoToolchainLinePicksTheImage(t *testing.T) {
	requireEnv(t)
	out, err := exec.Command("go", "env", "GOVERSION").Output()
	if err != nil {
		t.Fatal(err)
	}
	toolchain := strings.TrimSpace(string(out)) // the stand-in golang image's version
	dir := copyDir(t, examplePath("go"))
	replaceInFile(t, filepath.Join(dir, "go.mod"), "\ngo 1.26\n", "\ngo 1.23.0\n\ntoolchain "+toolchain+"\n")
	ref := env.registry + "/e2e/go-toolchain:amd64"
	log, err := buildYAML(t, dir, "--platform", "linux/amd64", "--provenance=false", "-t", ref, "--push")
	if err != nil {
		t.Fatalf("build: %v\n%s", err, log)
	}
	if want := "golang:" + strings.TrimPrefix(toolchain, "go"); !strings.Contains(log, want) {
		t.Errorf("the build did not load %s:\n%s", want, log)
	}
}
