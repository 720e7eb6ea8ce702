package e2e

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// freshBuilder starts a buildkitd with empty state and a buildx builder on
// it, both removed when the test ends.
func freshBuilder(t *testing.T, name string) string {
	t.Helper()
	script := "../../hack/buildkitd.sh"
	if out, err := exec.Command(script, "start", name).CombinedOutput(); err != nil {
		t.Fatalf("starting buildkitd %s: %v\n%s", name, err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command(script, "stop", name).CombinedOutput(); err != nil {
			t.Errorf("stopping buildkitd %s: %v\n%s", name, err, out)
		}
	})
	return name
}

// buildOn builds an example on a builder with SOURCE_DATE_EPOCH, pushes it
// with rewritten timestamps and returns the manifest digest and the
// progress.
func buildOn(t *testing.T, builder, dir, ref string, extra ...string) (string, progress) {
	t.Helper()
	frontend(t)
	digest, out, err := buildPushed(builder, dir, ref, extra...)
	if err != nil {
		t.Fatalf("%v\n%s", err, out)
	}
	return digest, parseProgress(t, out)
}

// zipOn builds --target zip on a builder with SOURCE_DATE_EPOCH and
// returns function.zip.
func zipOn(t *testing.T, builder, dir string, extra ...string) []byte {
	t.Helper()
	dest := t.TempDir()
	args := append([]string{"buildx", "build", "--builder", builder, "-f", "lambda.yaml", "--build-arg", "BUILDKIT_SYNTAX=" + frontendRef(),
		"--build-arg", "SOURCE_DATE_EPOCH=1700000000", "--target", "zip", "-o", "type=local,dest=" + dest}, extra...)
	cmd := exec.Command("docker", append(args, ".")...)
	cmd.Dir = dir
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("--target zip on %s: %v\n%s", builder, err, out)
	}
	dt, err := os.ReadFile(filepath.Join(dest, "function.zip"))
	if err != nil {
		t.Fatal(err)
	}
	return dt
}

// buildPushed is buildOn for any goroutine: it returns what failed rather
// than failing the test, along with the build's output.
func buildPushed(builder, dir, ref string, extra ...string) (digest, out string, err error) {
	args := append([]string{"--builder", builder, "-f", "lambda.yaml", "--build-arg", "BUILDKIT_SYNTAX=" + frontendRef(),
		"--build-arg", "SOURCE_DATE_EPOCH=1700000000", "--provenance=false",
		"--progress", "rawjson", "-o", "type=image,name=" + ref + ",push=true,rewrite-timestamp=true"}, extra...)
	cmd := exec.Command("docker", append(append([]string{"buildx", "build"}, args...), ".")...)
	cmd.Dir = dir
	dt, err := cmd.CombinedOutput()
	if err != nil {
		return "", string(dt), fmt.Errorf("build of %s on %s: %w", dir, builder, err)
	}
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		return "", string(dt), err
	}
	desc, err := remote.Head(r)
	if err != nil {
		return "", string(dt), err
	}
	return desc.Digest.String(), string(dt), nil
}

// TestReproducibleAndPortableCache builds the Node and Python examples on
// two buildkitds started empty: with SOURCE_DATE_EPOCH the images, and
// their .zip packages, are identical, created at the epoch. The first build exports its cache; a
// third empty buildkitd that imports it runs neither the dependency
// install nor the build, and builds the same image.
func TestReproducibleAndPortableCache(t *testing.T) {
	requireEnv(t)
	for _, tc := range []struct {
		example string
		flags   []string
		// steps must come from the imported cache.
		steps []string
	}{
		{"nodejs", []string{"--platform", "linux/amd64"}, []string{"[nodejs22] npm ci", "[nodejs22] npm ci --omit=dev", "[nodejs22] npm run build"}},
		{"python", append(pipSecret(), "--platform", "linux/amd64"), []string{"[python3.12] pip install -r requirements.txt"}},
	} {
		t.Run(tc.example, func(t *testing.T) {
			cache := t.TempDir()
			dir := examplePath(tc.example)
			base := fmt.Sprintf("%s/e2e/repro-%s", env.registry, tc.example)
			id := fmt.Sprintf("%d", time.Now().UnixNano()%1e6)

			a, b := freshBuilder(t, "bkl-a"+id), freshBuilder(t, "bkl-b"+id)
			first, _ := buildOn(t, a, dir, base+":a",
				append(tc.flags, "--cache-to", "type=local,mode=max,dest="+cache)...)
			second, _ := buildOn(t, b, dir, base+":b", tc.flags...)
			if first != second {
				t.Errorf("two empty buildkitds built %s and %s from the same sources and SOURCE_DATE_EPOCH", first, second)
			}
			// The .zip package of the same build is the same bytes too.
			if za, zb := zipOn(t, a, dir, tc.flags...), zipOn(t, b, dir, tc.flags...); !bytes.Equal(za, zb) {
				t.Errorf("two empty buildkitds wrote different function.zip files (%d and %d bytes)", len(za), len(zb))
			}
			img, _ := image(t, base+":a")
			cfg, err := img.ConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			if want := time.Unix(1700000000, 0).UTC(); !cfg.Created.Time.Equal(want) {
				t.Errorf("created %s, want the epoch %s", cfg.Created.Time, want)
			}

			third, p := buildOn(t, freshBuilder(t, "bkl-c"+id), dir, base+":c",
				append(tc.flags, "--cache-from", "type=local,src="+cache)...)
			for _, step := range tc.steps {
				if !p.step(t, step) {
					t.Errorf("%s ran again on a builder that imported the cache", step)
				}
			}
			if third != first {
				t.Errorf("the builder that imported the cache built %s; the one that built from scratch %s", third, first)
			}
		})
	}
}

// TestFreshBuilderChecksCodeWithoutDependencies: a CI runner's empty
// builder imports the registry cache another empty builder exported, and
// builds a code change. The checks of the new code run on the stand-in of
// the dependency layer, which comes from the cache: the step that reads
// the dependency layer does not run again, so the builder does not pull
// the dependencies to check the code. BuildKit reports a result loaded
// from a registry cache as done, not cached, so what tells a step that
// ran is the line it prints.
func TestFreshBuilderChecksCodeWithoutDependencies(t *testing.T) {
	requireEnv(t)
	dir := copyDir(t, examplePath("python"))
	id := fmt.Sprintf("%d", time.Now().UnixNano()%1e6)
	cache := fmt.Sprintf("%s/e2e/fresh-checks-cache:%s", env.registry, id)
	ref := fmt.Sprintf("%s/e2e/fresh-checks:%s", env.registry, id)
	flags := append(pipSecret(), "--platform", "linux/amd64")
	buildOn(t, freshBuilder(t, "bkl-fc-a"+id), dir, ref, append(flags, "--cache-to", "type=registry,mode=max,ref="+cache)...)
	appendFile(t, filepath.Join(dir, "app.py"), "# changed "+id+"\n")
	_, p := buildOn(t, freshBuilder(t, "bkl-fc-b"+id), dir, ref, append(flags, "--cache-from", "type=registry,ref="+cache)...)
	if install := "[python3.12] pip install -r requirements.txt"; p.ran[install] {
		t.Errorf("%s ran on a fresh builder that imported the cache", install)
	}
	deps := "[python3.12] preflight: the dependencies' native code, permissions, size"
	p.step(t, deps) // the step is in the build, from the cache or run
	if strings.Contains(p.logs[deps], "are fine") {
		t.Errorf("%s ran again on a fresh builder that imported the cache:\n%s", deps, p.logs[deps])
	}
	if checks := "[python3.12] preflight checks: handler, bootstrap, native code, permissions, size, imports"; !strings.Contains(p.logs[checks], "are fine") {
		t.Errorf("%s did not run on the changed code: %q", checks, p.logs[checks])
	}
}
