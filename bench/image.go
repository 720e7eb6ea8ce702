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
	// TaskFiles counts the regular files under /var/task, which a Node.js
	// function's cold start reads its way through.
	TaskFiles int
	// Extras lists what an image for Lambda should not hold: build tools,
	// devDependencies, package caches, TypeScript sources.
	Extras []string
}

// sumFacts adds up the facts of a monorepo's images: what its pushes
// upload and its registry holds. Layers stay per image.
func sumFacts(fs []imageFacts) imageFacts {
	if len(fs) == 1 {
		return fs[0]
	}
	var sum imageFacts
	for _, f := range fs {
		sum.OverBase += f.OverBase
		sum.New += f.New
		sum.NewFiles += f.NewFiles
		sum.NewLayers += f.NewLayers
		sum.TaskFiles += f.TaskFiles
		for _, x := range f.Extras {
			if !slices.Contains(sum.Extras, x) {
				sum.Extras = append(sum.Extras, x)
			}
		}
	}
	return sum
}

// extras are what an image for Lambda should not hold, in the order the
// results list them, each with the files that show it.
var extras = []struct {
	what  string
	match func(name string) bool
}{
	{"devDependencies", containsAny("node_modules/typescript/", "node_modules/@types/", "node_modules/eslint/", "node_modules/vitest/")},
	{"compiler", containsAny("/bin/tsc", "usr/local/go/bin/go", "/bin/javac")},
	{"package cache", containsAny("root/.npm/", "root/.cache/pip/", "root/.cache/go-build/", "go/pkg/mod/", "root/.m2/")},
	{"TypeScript sources", func(name string) bool {
		return strings.HasSuffix(name, ".ts") && !strings.HasSuffix(name, ".d.ts") && !strings.Contains(name, "node_modules/")
	}},
}

func containsAny(parts ...string) func(string) bool {
	return func(name string) bool {
		return slices.ContainsFunc(parts, func(p string) bool { return strings.Contains("/"+name, p) })
	}
}

// inspectImage reads ref's layers, compared with its base's and with
// those of the sequence's previous image, prev (nil for the first).
func inspectImage(ref, arch string, base []v1.Descriptor, prev *imageFacts) (imageFacts, error) {
	img, layers, err := remoteLayers(ref, arch)
	if err != nil {
		return imageFacts{}, err
	}
	f := imageFacts{Layers: layers}
	inBase := digests(base)
	var inPrev []v1.Hash
	if prev != nil {
		inPrev = digests(prev.Layers)
	}
	found := map[string]bool{}
	task := map[string]bool{}
	for _, l := range layers {
		if slices.Contains(inBase, l.Digest) {
			continue
		}
		f.OverBase += l.Size
		layer, err := img.LayerByDigest(l.Digest)
		if err != nil {
			return imageFacts{}, fmt.Errorf("reading layer %s of %s: %w", l.Digest, ref, err)
		}
		files, err := scanLayer(layer, found, task)
		if err != nil {
			return imageFacts{}, fmt.Errorf("reading layer %s of %s: %w", l.Digest, ref, err)
		}
		if prev == nil || !slices.Contains(inPrev, l.Digest) {
			f.New += l.Size
			f.NewLayers++
			f.NewFiles += files
		}
	}
	for _, x := range extras {
		if found[x.what] {
			f.Extras = append(f.Extras, x.what)
		}
	}
	f.TaskFiles = len(task)
	return f, nil
}

// scanLayer marks the extras a layer holds in found and its files under
// /var/task in task, and returns the bytes of its regular files.
func scanLayer(l v1.Layer, found, task map[string]bool) (int64, error) {
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
		if name := strings.TrimPrefix(h.Name, "./"); strings.HasPrefix(name, "var/task/") {
			task[name] = true
		}
		for _, x := range extras {
			if x.match(h.Name) {
				found[x.what] = true
			}
		}
	}
}

// remoteLayers reads an image and the descriptors of its layers.
func remoteLayers(ref, arch string) (v1.Image, []v1.Descriptor, error) {
	r, err := name.ParseReference(ref, name.Insecure)
	if err != nil {
		return nil, nil, fmt.Errorf("parsing %s: %w", ref, err)
	}
	img, err := remote.Image(r, remote.WithPlatform(v1.Platform{OS: "linux", Architecture: arch}))
	if err != nil {
		return nil, nil, fmt.Errorf("reading %s: %w", ref, err)
	}
	m, err := img.Manifest()
	if err != nil {
		return nil, nil, fmt.Errorf("reading the manifest of %s: %w", ref, err)
	}
	return img, m.Layers, nil
}

// baseLayers are the layers of a stand-in base image for one architecture.
func baseLayers(registry, base, arch string) ([]v1.Descriptor, error) {
	_, layers, err := remoteLayers(registry+"/"+base, arch)
	return layers, err
}

func digests(ds []v1.Descriptor) []v1.Hash {
	hs := make([]v1.Hash, len(ds))
	for i, d := range ds {
		hs[i] = d.Digest
	}
	return hs
}
