package e2e

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// pushExtension pushes an image for amd64 and arm64 whose /opt holds files
// (path → content; a path under opt/extensions is executable), as an
// extension's image does, and returns its reference.
func pushExtension(t *testing.T, tag string, files map[string][]byte) string {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, p := range []string{"opt/", "opt/extensions/"} {
		if err := tw.WriteHeader(&tar.Header{Name: p, Typeflag: tar.TypeDir, Mode: 0o755}); err != nil {
			t.Fatal(err)
		}
	}
	for p, content := range files {
		mode := int64(0o644)
		if strings.HasPrefix(p, "opt/extensions/") {
			mode = 0o755
		}
		if err := tw.WriteHeader(&tar.Header{Name: p, Typeflag: tar.TypeReg, Mode: mode, Size: int64(len(content))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(content); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(buf.Bytes())), nil })
	if err != nil {
		t.Fatal(err)
	}
	idx := mutate.IndexMediaType(empty.Index, "application/vnd.oci.image.index.v1+json")
	for _, arch := range []string{"amd64", "arm64"} {
		img, err := mutate.AppendLayers(empty.Image, layer)
		if err != nil {
			t.Fatal(err)
		}
		cfg, err := img.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		cfg.OS, cfg.Architecture = "linux", arch
		if img, err = mutate.ConfigFile(img, cfg); err != nil {
			t.Fatal(err)
		}
		idx = mutate.AppendManifests(idx, mutate.IndexAddendum{Add: img, Descriptor: v1.Descriptor{Platform: &v1.Platform{OS: "linux", Architecture: arch}}})
	}
	ref := env.registry + "/e2e/extension:" + tag
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.WriteIndex(r, idx); err != nil {
		t.Fatalf("pushing %s: %v", ref, err)
	}
	return ref
}

// TestExtensions adds extension images' /opt to a function's image, each as
// a layer above the base, checked by preflight, and replaceable with
// --build-context.
func TestExtensions(t *testing.T) {
	requireEnv(t)
	frontend(t)
	script := []byte("#!/bin/sh\nexec /opt/greeter-ext/run\n")
	good := pushExtension(t, "good", map[string][]byte{"opt/extensions/greeter-ext": script, "opt/greeter-ext/run": []byte("#!/bin/sh\n")})
	hostELF, err := os.ReadFile("/bin/true") // an x86-64 binary on this machine
	if err != nil {
		t.Fatal(err)
	}
	amd64Only := pushExtension(t, "amd64-only", map[string][]byte{"opt/extensions/agent": hostELF})

	withExtension := func(t *testing.T, ref string) string {
		dir := copyDir(t, examplePath("python"))
		replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "env:", "extensions:\n  - "+ref+"\nenv:")
		return dir
	}

	t.Run("layer", func(t *testing.T) {
		t.Parallel()
		ref := env.registry + "/e2e/extensions:amd64"
		buildExample(t, withExtension(t, good), ref, "linux/amd64", pipSecret()...)
		img, _ := image(t, ref)
		base, _ := image(t, env.registry+"/lambda/python:3.12")
		baseLayers, _ := base.Layers()
		layers, err := img.Layers()
		if err != nil {
			t.Fatal(err)
		}
		if len(layers) != len(baseLayers)+3 {
			t.Fatalf("%d layers on a base of %d; want the extension's, the dependencies' and the code's", len(layers), len(baseLayers))
		}
		ext := addedFiles(t, layers[len(baseLayers):len(baseLayers)+1])
		if f, ok := ext["opt/extensions/greeter-ext"]; !ok || f.mode&0o111 == 0 {
			t.Errorf("the layer above the base lacks an executable /opt/extensions/greeter-ext: %v", ext)
		}
		for name := range ext {
			if !strings.HasPrefix(name, "opt") {
				t.Errorf("the extension's layer holds %s; it must hold /opt alone", name)
			}
		}
		cfg, err := img.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		if h := cfg.History[len(cfg.History)-3].CreatedBy; h != "buildkit-lambda extension: /opt of "+good {
			t.Errorf("the extension layer's history says %q", h)
		}
		invokeAndCheck(t, img, `{"name":"Ada","bytes":3000000}`, map[string]any{"message": "Hello, Ada!"})
	})

	t.Run("wrong architecture", func(t *testing.T) {
		t.Parallel()
		buildFails(t, withExtension(t, amd64Only), []string{"preflight extension: /opt/extensions/agent is built for EM_X86_64, but the image is for arm64"},
			append(pipSecret(), "--platform", "linux/arm64")...)
	})

	// A layer's .zip in the build context, unpacked into /opt as Lambda
	// unpacks it.
	withZip := func(t *testing.T, files map[string][]byte) string {
		dir := copyDir(t, examplePath("python"))
		writeExtensionZip(t, filepath.Join(dir, "extensions", "agent.zip"), files)
		replaceInFile(t, filepath.Join(dir, "lambda.yaml"), "env:", "extensions:\n  - ./extensions/agent.zip\nenv:")
		return dir
	}
	t.Run("zip", func(t *testing.T) {
		t.Parallel()
		ref := env.registry + "/e2e/extensions:zip"
		buildExample(t, withZip(t, map[string][]byte{"extensions/greeter-ext": script, "greeter-ext/run": []byte("#!/bin/sh\n")}), ref, "linux/amd64", pipSecret()...)
		img, _ := image(t, ref)
		layers, err := img.Layers()
		if err != nil {
			t.Fatal(err)
		}
		ext := addedFiles(t, layers[len(layers)-3:len(layers)-2])
		if f, ok := ext["opt/extensions/greeter-ext"]; !ok || f.mode&0o111 == 0 {
			t.Errorf("the extension's layer lacks an executable /opt/extensions/greeter-ext: %v", ext)
		}
		if _, ok := ext["opt/greeter-ext/run"]; !ok {
			t.Errorf("the extension's layer lacks /opt/greeter-ext/run: %v", ext)
		}
		for name := range ext {
			if !strings.HasPrefix(name, "opt") {
				t.Errorf("the extension's layer holds %s; it must hold /opt alone", name)
			}
		}
		if _, ok := addedFiles(t, layers[len(layers)-1:])["var/task/extensions/agent.zip"]; ok {
			t.Error("the code layer holds the extension's .zip")
		}
		invokeAndCheck(t, img, `{"name":"Ada","bytes":3000000}`, map[string]any{"message": "Hello, Ada!"})
	})
	t.Run("zip wrong architecture", func(t *testing.T) {
		t.Parallel()
		buildFails(t, withZip(t, map[string][]byte{"extensions/agent": hostELF}), []string{"preflight extension: /opt/extensions/agent is built for EM_X86_64, but the image is for arm64"},
			append(pipSecret(), "--platform", "linux/arm64")...)
	})

	// --build-context replaces an extension image as it does any image.
	t.Run("build context", func(t *testing.T) {
		t.Parallel()
		local := t.TempDir()
		writeFile(t, filepath.Join(local, "opt", "extensions", "local-ext"), "#!/bin/sh\n")
		if err := os.Chmod(filepath.Join(local, "opt", "extensions", "local-ext"), 0o755); err != nil {
			t.Fatal(err)
		}
		ref := env.registry + "/e2e/extensions:context"
		buildExample(t, withExtension(t, good), ref, "linux/amd64", append(pipSecret(), "--build-context", good+"="+local)...)
		img, _ := image(t, ref)
		layers, err := img.Layers()
		if err != nil {
			t.Fatal(err)
		}
		files := addedFiles(t, layers[len(layers)-3:])
		if _, ok := files["opt/extensions/local-ext"]; !ok {
			t.Error("the image lacks the extension from --build-context")
		}
		if _, ok := files["opt/extensions/greeter-ext"]; ok {
			t.Error("the image has the extension --build-context replaced")
		}
	})
}

// writeExtensionZip writes a layer's .zip as a user would get one: entries
// under extensions/ executable, the rest 0644.
func writeExtensionZip(t *testing.T, file string, files map[string][]byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	zw := zip.NewWriter(f)
	for _, name := range slices.Sorted(maps.Keys(files)) {
		h := &zip.FileHeader{Name: name, Method: zip.Deflate}
		h.SetMode(0o644)
		if strings.HasPrefix(name, "extensions/") {
			h.SetMode(0o755)
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(files[name]); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
}
