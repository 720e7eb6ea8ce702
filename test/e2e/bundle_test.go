package e2e

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/internal/lambdarun"
)

// unbundledYAML builds examples/nodejs-bundle the way it would be built
// without build.bundle: tsc, then the compiled files and every production
// package.
const unbundledYAML = `runtime: nodejs22
handler: app.handler
build:
  commands: [npx tsc]
  output: dist
env:
  TABLE_NAME: orders
`

// TestBundle builds examples/nodejs-bundle, whose TypeScript handler
// esbuild bundles with zod and the AWS SDK, leaving out @node-rs/xxhash,
// which is native code. The build runs the example's tests, which invoke
// it. The test then checks the image for both architectures, that the
// source map names the TypeScript in a stack trace, that the .zip holds
// the same, and that the image is smaller, in bytes and files, than the
// same function built without bundling.
func TestBundle(t *testing.T) {
	requireEnv(t)
	frontend(t)
	dir := examplePath("nodejs-bundle")
	var sizes [2]layerSize // bundled, unbundled (amd64)
	t.Run("parallel", func(t *testing.T) {
		for _, arch := range []string{"amd64", "arm64"} {
			t.Run(arch, func(t *testing.T) {
				t.Parallel()
				ref := buildExample(t, dir, fmt.Sprintf("%s/e2e/nodejs-bundle:%s", env.registry, arch), "linux/"+arch)
				img, _ := image(t, ref)
				layers, err := img.Layers()
				if err != nil {
					t.Fatal(err)
				}
				files := addedFiles(t, layers[len(layers)-2:])
				native := map[string]string{"amd64": "x64", "arm64": "arm64"}[arch]
				for _, p := range []string{"var/task/src/app.js", "var/task/src/app.js.map",
					"var/task/node_modules/@node-rs/xxhash/package.json",
					"var/task/node_modules/@node-rs/xxhash-linux-" + native + "-gnu/xxhash.linux-" + native + "-gnu.node"} {
					if _, ok := files[p]; !ok {
						t.Errorf("%s is missing from the bundled image", p)
					}
				}
				for name, f := range files {
					for _, out := range []string{"var/task/node_modules/zod", "var/task/node_modules/@aws-sdk", "var/task/node_modules/@smithy",
						"var/task/src/app.ts", "var/task/package.json", "var/task/node_modules/typescript", "var/task/node_modules/@node-rs/xxhash-linux-x64-musl"} {
						if strings.HasPrefix(name, out) {
							t.Errorf("%s must not be in the bundled image", name)
						}
					}
					if f.elf != "" && f.elf != elfMachines[arch] {
						t.Errorf("%s is an ELF binary for %s in a %s image", name, f.elf, arch)
					}
					if f.mode&0o004 == 0 {
						t.Errorf("%s has mode %o: Lambda's user could not read it", name, f.mode)
					}
				}
				if arch != "amd64" {
					return
				}
				sizes[0] = measure(t, ref)
				// A throw shows the TypeScript's file and line.
				outcome, logs, err := lambdarun.Invoke(context.Background(), img, []byte(`{"id":"explode","quantity":1}`), 2*time.Minute)
				if err != nil {
					t.Fatalf("invoking: %v\n%s", err, logs)
				}
				// Node.js runtimes post the stack as "trace".
				if !strings.Contains(string(outcome.Error), "src/app.ts:") {
					t.Errorf("the error %s does not name src/app.ts: the source map was not used\n%s", outcome.Error, logs)
				}
			})
		}
		t.Run("unbundled", func(t *testing.T) {
			t.Parallel()
			plain := copyDir(t, dir)
			writeFile(t, filepath.Join(plain, "lambda.yaml"), unbundledYAML)
			ref := buildExample(t, plain, env.registry+"/e2e/nodejs-unbundled:amd64", "linux/amd64")
			img, _ := image(t, ref)
			invokeAndCheck(t, img, `{"id":"A-1","quantity":3}`, map[string]any{"statusCode": float64(200), "table": "orders"})
			sizes[1] = measure(t, ref)
		})
		// An ES module with no package.json: nothing to install, and the
		// bundle stays an ES module. Its tests run in the build.
		t.Run("esm", func(t *testing.T) {
			t.Parallel()
			esm := copyDir(t, filepath.Join("testdata", "smoke-test"))
			replaceInFile(t, filepath.Join(esm, "lambda.yaml"), "handler: app.handler\n", "handler: app.handler\nbuild:\n  bundle: esbuild\n")
			ref := buildExample(t, esm, env.registry+"/e2e/bundle-esm:amd64", "linux/amd64")
			img, _ := image(t, ref)
			layers, err := img.Layers()
			if err != nil {
				t.Fatal(err)
			}
			var regular []string
			for name, f := range addedFiles(t, layers[len(layers)-1:]) {
				if !f.dir {
					regular = append(regular, name)
				}
			}
			if len(regular) != 1 || regular[0] != "var/task/app.mjs" {
				t.Errorf("the code layer holds %q; want var/task/app.mjs alone", regular)
			}
		})
		t.Run("zip", func(t *testing.T) {
			t.Parallel()
			entries, _ := buildZip(t, dir, "zip", "function.zip", "--platform", "linux/amd64")
			checkZipEntries(t, entries, time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC),
				[]string{"src/app.js", "src/app.js.map", "node_modules/@node-rs/xxhash-linux-x64-gnu/xxhash.linux-x64-gnu.node"},
				[]string{"node_modules/zod", "node_modules/@aws-sdk", "package.json", "src/app.ts"})
		})
	})
	bundled, plain := sizes[0], sizes[1]
	if bundled.files == 0 || plain.files == 0 {
		t.Fatal("a build failed; nothing to compare")
	}
	t.Logf("bundled: %d files, %d bytes in /var/task; unbundled: %d files, %d bytes (%.2g× the files, %.2g× the bytes)",
		bundled.files, bundled.bytes, plain.files, plain.bytes,
		float64(bundled.files)/float64(plain.files), float64(bundled.bytes)/float64(plain.bytes))
	if bundled.files >= plain.files || bundled.bytes >= plain.bytes {
		t.Errorf("the bundled image's task root (%d files, %d bytes) must be smaller than the unbundled one's (%d files, %d bytes)",
			bundled.files, bundled.bytes, plain.files, plain.bytes)
	}
}

// layerSize counts the regular files of /var/task in an image's added
// layers, and their bytes.
type layerSize struct {
	files int
	bytes int64
}

func measure(t *testing.T, ref string) layerSize {
	t.Helper()
	img, _ := image(t, ref)
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	var s layerSize
	for name, f := range addedFiles(t, layers[len(layers)-2:]) {
		if strings.HasPrefix(name, "var/task/") && !f.dir {
			s.files++
			s.bytes += f.size
		}
	}
	return s
}
