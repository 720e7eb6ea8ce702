package e2e

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"io"
	"io/fs"
	"maps"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// zipEntry is what a test reads of one entry of a .zip.
type zipEntry struct {
	mode     fs.FileMode
	modified time.Time
	elf      string
}

// buildZip builds a --target into a local directory and returns the
// entries of the .zip it holds.
func buildZip(t *testing.T, dir, target, file string, extra ...string) (map[string]zipEntry, string) {
	t.Helper()
	dest := t.TempDir()
	out, err := buildYAML(t, dir, append([]string{"--target", target, "-o", "type=local,dest=" + dest}, extra...)...)
	if err != nil {
		t.Fatalf("--target %s: %v\n%s", target, err, out)
	}
	zipPath := filepath.Join(dest, file)
	r, err := zip.OpenReader(zipPath)
	if err != nil {
		t.Fatalf("--target %s wrote no readable %s: %v\n%s", target, file, err, out)
	}
	defer r.Close()
	entries := map[string]zipEntry{}
	for _, f := range r.File {
		e := zipEntry{mode: f.Mode(), modified: f.Modified.UTC()}
		if !f.FileInfo().IsDir() {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			e.elf = elfMachine(rc)
			rc.Close()
		}
		entries[f.Name] = e
	}
	return entries, zipPath
}

// checkZipEntries checks what every entry of a Lambda .zip must be, and
// that present are there and absent are not.
func checkZipEntries(t *testing.T, entries map[string]zipEntry, epoch time.Time, present, absent []string) {
	t.Helper()
	for name, e := range entries {
		if !e.modified.Equal(epoch) {
			t.Errorf("%s modified %s, want %s", name, e.modified, epoch)
		}
		if m := e.mode; m.IsDir() && m.Perm() != 0o755 || !m.IsDir() && m.Perm() != 0o644 && m.Perm() != 0o755 {
			t.Errorf("%s has mode %s, want 0755 directories and 0644 or 0755 files", name, m)
		}
		for _, a := range absent {
			if name == a || strings.HasPrefix(name, a+"/") || name == a+"/" {
				t.Errorf("%s must not be in the .zip", name)
			}
		}
	}
	for _, p := range present {
		if _, ok := entries[p]; !ok {
			t.Errorf("%s is missing from the .zip (it holds %q)", p, slices.Sorted(maps.Keys(entries)))
		}
	}
}

// imageFromZips unpacks .zip files onto a base image, each at its
// directory (/var/task for a function's package, /opt for a layer), as
// Lambda unpacks them, with the handler as CMD, so that the function can be
// invoked the way Lambda runs a .zip.
func imageFromZips(t *testing.T, baseRef, handler string, zips map[string]string) v1.Image {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, dir := range slices.Sorted(maps.Keys(zips)) {
		r, err := zip.OpenReader(zips[dir])
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range r.File {
			h := &tar.Header{Name: path.Join(strings.TrimPrefix(dir, "/"), f.Name), Mode: int64(f.Mode().Perm()), ModTime: f.Modified}
			var body []byte
			switch {
			case f.FileInfo().IsDir():
				h.Typeflag, h.Name = tar.TypeDir, h.Name+"/"
			default:
				rc, err := f.Open()
				if err != nil {
					t.Fatal(err)
				}
				body, err = io.ReadAll(rc)
				rc.Close()
				if err != nil {
					t.Fatal(err)
				}
				h.Typeflag = tar.TypeReg
				if f.Mode()&fs.ModeSymlink != 0 {
					h.Typeflag, h.Linkname, body = tar.TypeSymlink, string(body), nil
				}
				h.Size = int64(len(body))
			}
			if err := tw.WriteHeader(h); err != nil {
				t.Fatal(err)
			}
			if _, err := tw.Write(body); err != nil {
				t.Fatal(err)
			}
		}
		r.Close()
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf.Bytes())), nil })
	if err != nil {
		t.Fatal(err)
	}
	base, _ := image(t, baseRef)
	img, err := mutate.AppendLayers(base, layer)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cfg.Config.Cmd = []string{handler}
	if img, err = mutate.ConfigFile(img, cfg); err != nil {
		t.Fatal(err)
	}
	return img
}

// TestZipTargets builds .zip deployment packages and layers with --target
// zip and --target layer, checks their layout per family, and invokes them
// unpacked on the runtime's base image as Lambda would.
func TestZipTargets(t *testing.T) {
	requireEnv(t)
	frontend(t)
	epoch := time.Unix(1700000000, 0).UTC()
	withEpoch := []string{"--build-arg", "SOURCE_DATE_EPOCH=1700000000"}

	t.Run("python", func(t *testing.T) {
		t.Parallel()
		entries, zipPath := buildZip(t, examplePath("python"), "zip", "function.zip", append(pipSecret(), append(withEpoch, "--platform", "linux/amd64")...)...)
		checkZipEntries(t, entries, epoch, []string{"app.py", "humanize/__init__.py"},
			[]string{"lambda.yaml", "requirements.txt", "var", "__pycache__"})
		img := imageFromZips(t, env.registry+"/lambda/python:3.12", "app.handler", map[string]string{"/var/task": zipPath})
		invokeAndCheck(t, img, `{"name":"Ada","bytes":3000000}`, map[string]any{"message": "Hello, Ada!", "size": "3.0 MB"})
	})

	t.Run("go-arm64", func(t *testing.T) {
		t.Parallel()
		entries, _ := buildZip(t, examplePath("go"), "zip", "function.zip", "--platform", "linux/arm64")
		checkZipEntries(t, entries, time.Date(1980, 1, 1, 0, 0, 0, 0, time.UTC), []string{"bootstrap"}, []string{"var", "go.mod"})
		if b := entries["bootstrap"]; b.mode.Perm() != 0o755 || b.elf != elfMachines["arm64"] {
			t.Errorf("bootstrap is %s %q; want an executable for arm64", b.mode, b.elf)
		}
		if len(entries) != 1 {
			t.Errorf("the Go package holds %d entries; want the bootstrap alone", len(entries))
		}
	})

	// With package.layer the code and the dependencies part: the function's
	// package holds the classes, the layer the jars under java/lib, and the
	// runtime finds them in /opt/java/lib.
	t.Run("java-layer", func(t *testing.T) {
		t.Parallel()
		dir := copyDir(t, examplePath("java"))
		replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "env:", "package:\n  layer: true\nenv:")
		code, codeZip := buildZip(t, dir, "zip", "function.zip", append(withEpoch, "--platform", "linux/amd64")...)
		checkZipEntries(t, code, epoch, []string{"example/Handler.class"}, []string{"lib", "pom.xml", "src"})
		deps, layerZip := buildZip(t, dir, "layer", "layer.zip", append(withEpoch, "--platform", "linux/amd64")...)
		checkZipEntries(t, deps, epoch, []string{"java/lib/commons-text-1.14.0.jar", "java/lib/aws-lambda-java-core-1.4.0.jar"},
			[]string{"example", "java/lib/junit-jupiter-5.14.4.jar"})
		img := imageFromZips(t, env.registry+"/lambda/java:21", "example.Handler::handleRequest",
			map[string]string{"/var/task": codeZip, "/opt": layerZip})
		invokeAndCheck(t, img, `{"name":"ada lovelace"}`, map[string]any{"message": "Hello, Ada Lovelace!"})
	})

	// Node.js finds a layer's packages in /opt/nodejs/node_modules; the
	// code keeps package.json, whose "type" decides how Node loads it.
	t.Run("nodejs-layer", func(t *testing.T) {
		t.Parallel()
		dir := copyDir(t, examplePath("nodejs"))
		replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "env:", "package:\n  layer: true\nenv:")
		code, codeZip := buildZip(t, dir, "zip", "function.zip", append(withEpoch, "--platform", "linux/amd64")...)
		checkZipEntries(t, code, epoch, []string{"app.js", "package.json"}, []string{"node_modules", "src", "lambda.yaml"})
		deps, layerZip := buildZip(t, dir, "layer", "layer.zip", append(withEpoch, "--platform", "linux/amd64")...)
		checkZipEntries(t, deps, epoch, []string{"nodejs/node_modules/ms/index.js"}, []string{"app.js", "nodejs/node_modules/typescript"})
		img := imageFromZips(t, env.registry+"/lambda/nodejs:22", "app.handler", map[string]string{"/var/task": codeZip, "/opt": layerZip})
		invokeAndCheck(t, img, `{"name":"Ada","uptimeMs":7200000}`, map[string]any{"message": "Hello, Ada!", "uptime": "2 hours"})
	})

	// Ruby finds a layer's gems in /opt/ruby/gems/<ABI version>, on
	// GEM_PATH: vendor/bundle/ruby goes to ruby/gems, and the code leaves
	// the Gemfile and .bundle/config, which name vendor/bundle, behind.
	t.Run("ruby-layer", func(t *testing.T) {
		t.Parallel()
		dir, _ := exampleContext(t, "ruby")
		replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "env:", "package:\n  layer: true\nenv:")
		code, codeZip := buildZip(t, dir, "zip", "function.zip", append(withEpoch, "--platform", "linux/amd64")...)
		checkZipEntries(t, code, epoch, []string{"app.rb"}, []string{"vendor", "Gemfile", "Gemfile.lock", ".bundle", "lambda.yaml"})
		deps, layerZip := buildZip(t, dir, "layer", "layer.zip", append(withEpoch, "--platform", "linux/amd64")...)
		checkZipEntries(t, deps, epoch, []string{"ruby/gems/3.3.0/gems/i18n-1.10.0/lib/i18n.rb", "ruby/gems/3.3.0/specifications/i18n-1.10.0.gemspec"},
			[]string{"app.rb", "ruby/gems/3.3.0/gems/rainbow-3.1.1", "ruby/gems/3.3.0/cache", "vendor"})
		img := imageFromZips(t, env.registry+"/lambda/ruby:3.3", "app.handler", map[string]string{"/var/task": codeZip, "/opt": layerZip})
		invokeAndCheck(t, img, `{"name":"Ada","locale":"fr"}`, map[string]any{"message": "Bonjour, Ada !"})
	})

	t.Run("no layer without dependencies", func(t *testing.T) {
		t.Parallel()
		out, err := buildYAML(t, examplePath("go"), "--target", "layer", "-o", "type=local,dest="+t.TempDir())
		if err == nil || !strings.Contains(out, "--target layer needs dependencies") {
			t.Errorf("--target layer of a Go function: %v\n%s", err, out)
		}
	})
}
