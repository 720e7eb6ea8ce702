package main

import (
	"archive/tar"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// imageFacts are what the benchmark reads of a pushed image.
type imageFacts struct {
	// Layers are the compressed layers' digests and sizes, in order.
	Layers []v1.Descriptor
	// OverBase is the compressed bytes of the layers the base lacks.
	OverBase int64
	// New is the compressed bytes of the layers the previous build of the
	// sequence lacked: what a push uploads. NewFiles is the bytes of the
	// files in them, uncompressed.
	New, NewFiles int64
	// NewLayers counts those layers.
	NewLayers int
	// Extras lists what an image for Lambda should not hold: build tools,
	// devDependencies, package caches, TypeScript sources.
	Extras []string
}

// extraMarkers are paths, in layers over the base, that show an extra.
var extraMarkers = []struct{ what, contains string }{
	{"devDependencies", "node_modules/typescript/"},
	{"devDependencies", "node_modules/@types/"},
	{"compiler", "/bin/tsc"},
	{"compiler", "usr/local/go/bin/go"},
	{"package cache", "root/.npm/"},
	{"package cache", "root/.cache/pip/"},
	{"package cache", "root/.cache/go-build/"},
	{"package cache", "go/pkg/mod/"},
}

// inspectImage reads ref's layers, compared with its base's and with
// those of the sequence's previous image, prev (nil for the first).
func inspectImage(ref string, base []v1.Descriptor, prev *imageFacts) (imageFacts, error) {
	img, err := remoteImage(ref)
	if err != nil {
		return imageFacts{}, err
	}
	m, err := img.Manifest()
	if err != nil {
		return imageFacts{}, fmt.Errorf("reading the manifest of %s: %w", ref, err)
	}
	f := imageFacts{Layers: m.Layers}
	inBase := digests(base)
	var inPrev []v1.Hash
	if prev != nil {
		inPrev = digests(prev.Layers)
	}
	extras := map[string]bool{}
	for _, l := range m.Layers {
		if slices.Contains(inBase, l.Digest) {
			continue
		}
		f.OverBase += l.Size
		layer, err := img.LayerByDigest(l.Digest)
		if err != nil {
			return imageFacts{}, fmt.Errorf("reading layer %s of %s: %w", l.Digest, ref, err)
		}
		files, err := scanLayer(layer, extras)
		if err != nil {
			return imageFacts{}, fmt.Errorf("reading layer %s of %s: %w", l.Digest, ref, err)
		}
		if prev == nil || !slices.Contains(inPrev, l.Digest) {
			f.New += l.Size
			f.NewLayers++
			f.NewFiles += files
		}
	}
	for _, what := range []string{"devDependencies", "compiler", "package cache", "TypeScript sources"} {
		if extras[what] {
			f.Extras = append(f.Extras, what)
		}
	}
	return f, nil
}

// scanLayer marks the extras a layer holds and returns the bytes of its
// regular files.
func scanLayer(l v1.Layer, extras map[string]bool) (int64, error) {
	rc, err := l.Uncompressed()
	if err != nil {
		return 0, err
	}
	defer rc.Close()
	var total int64
	tr := tar.NewReader(rc)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return total, nil
		}
		if err != nil {
			return 0, err
		}
		if h.Typeflag != tar.TypeReg {
			// npm leaves empty directories such as node_modules/@types.
			continue
		}
		total += h.Size
		for _, m := range extraMarkers {
			if strings.Contains("/"+h.Name, m.contains) {
				extras[m.what] = true
			}
		}
		if strings.HasSuffix(h.Name, ".ts") && !strings.HasSuffix(h.Name, ".d.ts") && !strings.Contains(h.Name, "node_modules/") {
			extras["TypeScript sources"] = true
		}
	}
}

func remoteImage(ref string) (v1.Image, error) {
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		return nil, fmt.Errorf("parsing %s: %w", ref, err)
	}
	img, err := remote.Image(r, remote.WithPlatform(v1.Platform{OS: "linux", Architecture: "amd64"}))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", ref, err)
	}
	return img, nil
}

// baseLayers are the layers of an example's base image for linux/amd64.
func baseLayers(registry, example string) ([]v1.Descriptor, error) {
	repo := map[string]string{"nodejs": "lambda/nodejs:22", "python": "lambda/python:3.12", "go": "lambda/provided:al2023"}[example]
	img, err := remoteImage(registry + "/" + repo)
	if err != nil {
		return nil, err
	}
	m, err := img.Manifest()
	if err != nil {
		return nil, fmt.Errorf("reading the manifest of %s: %w", repo, err)
	}
	return m.Layers, nil
}

func digests(ds []v1.Descriptor) []v1.Hash {
	hs := make([]v1.Hash, len(ds))
	for i, d := range ds {
		hs[i] = d.Digest
	}
	return hs
}
