package e2e

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// TestBuildContextReplacesImages replaces the Python base image with a
// renamed copy of it, given as --build-context NAME=docker-image://... and
// as an OCI layout, and checks the image is built on the copy: the copy
// carries a label the original lacks.
func TestBuildContextReplacesImages(t *testing.T) {
	requireEnv(t)
	const baseName = "public.ecr.aws/lambda/python:3.12"
	renamed := env.registry + "/mirror/python-renamed:3.12"
	copied := renamedStandIn(t, env.registry+"/lambda/python:3.12", renamed)
	digest, err := copied.Digest()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	lp, err := layout.Write(dir, empty.Index)
	if err != nil {
		t.Fatal(err)
	}
	if err := lp.AppendImage(copied); err != nil {
		t.Fatal(err)
	}

	for _, tc := range []struct{ name, source string }{
		{"docker-image", "docker-image://" + renamed},
		{"oci-layout", "oci-layout://" + dir + "@" + digest.String()},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ref := buildExample(t, examplePath("python"), env.registry+"/e2e/context-"+tc.name+":latest", "linux/amd64",
				append(pipSecret(), "--build-context", baseName+"="+tc.source)...)
			img, _ := image(t, ref)
			cfg, err := img.ConfigFile()
			if err != nil {
				t.Fatal(err)
			}
			if cfg.Config.Labels["org.example.renamed"] != "yes" {
				t.Errorf("labels %v: the image is not built on the renamed copy", cfg.Config.Labels)
			}
			if cfg.Config.Cmd[0] != "app.handler" {
				t.Errorf("cmd %v", cfg.Config.Cmd)
			}
		})
	}

	t.Run("local", func(t *testing.T) {
		// A local directory replaces the Go base image, as a plain root
		// file system with no image config.
		root := t.TempDir()
		writeFile(t, filepath.Join(root, "from-local-context"), "yes\n")
		ref := buildExample(t, examplePath("go"), env.registry+"/e2e/context-local:latest", "linux/arm64",
			"--build-context", "public.ecr.aws/lambda/provided:al2023="+root)
		img, _ := image(t, ref)
		layers, err := img.Layers()
		if err != nil {
			t.Fatal(err)
		}
		files := addedFiles(t, layers)
		for _, want := range []string{"from-local-context", "var/runtime/bootstrap"} {
			if _, ok := files[want]; !ok {
				t.Errorf("image lacks %s", want)
			}
		}
	})
}

// renamedStandIn pushes the amd64 image of a stand-in under a new name,
// labelled org.example.renamed=yes, and returns it.
func renamedStandIn(t *testing.T, from, to string) v1.Image {
	t.Helper()
	src, err := name.ParseReference(from, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	img, err := remote.Image(src, remote.WithPlatform(v1.Platform{OS: "linux", Architecture: "amd64"}))
	if err != nil {
		t.Fatalf("reading %s: %v", from, err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cfg = cfg.DeepCopy()
	if cfg.Config.Labels == nil {
		cfg.Config.Labels = map[string]string{}
	}
	cfg.Config.Labels["org.example.renamed"] = "yes"
	if img, err = mutate.ConfigFile(img, cfg); err != nil {
		t.Fatal(err)
	}
	dst, err := name.ParseReference(to, name.Insecure)
	if err != nil {
		t.Fatal(err)
	}
	if err := remote.Write(dst, img, remote.WithContext(context.Background())); err != nil {
		t.Fatalf("pushing %s: %v", to, err)
	}
	return img
}
