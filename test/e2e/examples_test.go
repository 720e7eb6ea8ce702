package e2e

import (
	"archive/tar"
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// expectation is what must and must not be in an example's image, in the
// layers the frontend adds to the base.
type expectation struct {
	example, handler string
	baseRef          string
	present          []string
	absent           []string // path prefixes
	// elf lists files that must be ELF binaries of the target architecture.
	elf []string
	// addedLayers is how many layers the frontend adds to the base.
	addedLayers int
}

var expectations = []expectation{
	{
		example: "nodejs", handler: "app.handler", baseRef: "public.ecr.aws/lambda/nodejs:22", addedLayers: 2,
		present: []string{"var/task/app.js", "var/task/package.json", "var/task/node_modules/ms/index.js"},
		absent: []string{"var/task/node_modules/typescript", "var/task/node_modules/@types", "var/task/src",
			"var/task/app.ts", "root/.npm", "build/"},
	},
	{
		example: "python", handler: "app.handler", baseRef: "public.ecr.aws/lambda/python:3.12", addedLayers: 2,
		present: []string{"var/task/app.py", "var/task/humanize/__init__.py"},
		absent:  []string{"root/.cache", "var/task/__pycache__", "var/task/requirements.txt", "var/task/lambda.yaml", "var/task/.dockerignore", "deps/", "build/"},
	},
	{
		example: "go", handler: "bootstrap", baseRef: "public.ecr.aws/lambda/provided:al2023", addedLayers: 1,
		present: []string{"var/runtime/bootstrap"},
		absent:  []string{"var/task/cmd", "var/task/go.mod", "go/", "usr/local/go", "build/", "root/.cache"},
		elf:     []string{"var/runtime/bootstrap"},
	},
	{
		// lambda_runtime and tokio from crates.io, cross-compiled for arm64.
		example: "rust", handler: "bootstrap", baseRef: "public.ecr.aws/lambda/provided:al2023", addedLayers: 1,
		present: []string{"var/runtime/bootstrap"},
		absent:  []string{"var/task", "root/.cargo", "root/.cache", "build/", "out/"},
		elf:     []string{"var/runtime/bootstrap"},
	},
	{
		// Maven, with dependencies from Maven Central: the runtime jars in
		// lib, the classes at the task root; the test-scoped JUnit and the
		// project's sources stay out.
		example: "java", handler: "example.Handler::handleRequest", baseRef: "public.ecr.aws/lambda/java:21", addedLayers: 2,
		present: []string{"var/task/example/Handler.class", "var/task/lib/commons-text-1.14.0.jar", "var/task/lib/commons-lang3-3.18.0.jar", "var/task/lib/aws-lambda-java-core-1.4.0.jar"},
		absent: []string{"var/task/src", "var/task/pom.xml", "var/task/target", "var/task/lib/junit-jupiter-5.14.4.jar",
			"var/task/lib/junit-jupiter-api-5.14.4.jar", "root/.m2", "root/.cache", "build/", "deps/"},
	},
	{
		// Bundler, with gems from the loopback gem source: i18n and
		// concurrent-ruby, which it depends on, in vendor/bundle with the
		// Gemfile; rainbow, of the development group, and the copies of
		// the .gem files stay out.
		example: "ruby", handler: "app.handler", baseRef: "public.ecr.aws/lambda/ruby:3.3", addedLayers: 2,
		present: []string{"var/task/app.rb", "var/task/Gemfile", "var/task/Gemfile.lock", "var/task/.bundle/config",
			"var/task/vendor/bundle/ruby/3.3.0/gems/i18n-1.10.0/lib/i18n.rb", "var/task/vendor/bundle/ruby/3.3.0/specifications/concurrent-ruby-1.1.6.gemspec"},
		absent: []string{"var/task/vendor/bundle/ruby/3.3.0/gems/rainbow-3.1.1", "var/task/vendor/bundle/ruby/3.3.0/cache",
			"var/task/lambda.yaml", "root/.cache", "build/", "deps/"},
	},
	{
		// A shell bootstrap; /var/runtime/bootstrap links to it.
		example: "custom", handler: "function.handler", baseRef: "public.ecr.aws/lambda/provided:al2023", addedLayers: 1,
		present: []string{"var/task/bootstrap", "var/task/function.sh"},
		absent:  []string{"var/task/lambda.yaml", "build/"},
	},
}

// compilers are files whose presence in the added layers would mean a
// toolchain leaked into the image.
var compilers = []string{"gcc", "cc", "g++", "go", "tsc", "node-gyp", "javac", "mvn"}

// elfMachines is the ELF machine of each architecture's binaries.
var elfMachines = map[string]string{"amd64": "EM_X86_64", "arm64": "EM_AARCH64"}

// TestExamples builds every example for both architectures through docker
// buildx build, then reads each image back and checks what Lambda needs.
func TestExamples(t *testing.T) {
	requireEnv(t)
	for _, e := range expectations {
		for _, arch := range []string{"amd64", "arm64"} {
			t.Run(e.example+"-"+arch, func(t *testing.T) {
				t.Parallel()
				ref := fmt.Sprintf("%s/e2e/%s:%s", env.registry, e.example, arch)
				dir, extra := exampleContext(t, e.example)
				buildExample(t, dir, ref, "linux/"+arch, extra...)
				checkImage(t, e, ref, arch)
			})
		}
	}
}

func checkImage(t *testing.T, e expectation, ref, arch string) {
	img, desc := image(t, ref)
	if mt := desc.MediaType; mt != types.DockerManifestSchema2 && mt != types.OCIManifestSchema1 {
		t.Fatalf("%s is a %s; Lambda needs a single image manifest", ref, mt)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	if cfg.OS != "linux" || cfg.Architecture != arch {
		t.Errorf("platform %s/%s, want linux/%s", cfg.OS, cfg.Architecture, arch)
	}
	if !slices.Equal(cfg.Config.Entrypoint, []string{"/lambda-entrypoint.sh"}) {
		t.Errorf("entrypoint %q, want the base's [/lambda-entrypoint.sh]", cfg.Config.Entrypoint)
	}
	if !slices.Equal(cfg.Config.Cmd, []string{e.handler}) {
		t.Errorf("CMD %q, want exactly [%s]", cfg.Config.Cmd, e.handler)
	}
	if cfg.Config.WorkingDir != "/var/task" {
		t.Errorf("workdir %q, want /var/task", cfg.Config.WorkingDir)
	}
	for _, kv := range []string{"GREETING=Hello", "LAMBDA_TASK_ROOT=/var/task", "LAMBDA_RUNTIME_DIR=/var/runtime"} {
		if !slices.Contains(cfg.Config.Env, kv) {
			t.Errorf("env lacks %s: %q", kv, cfg.Config.Env)
		}
	}

	base, _ := image(t, fmt.Sprintf("%s/%s", env.registry, strings.TrimPrefix(e.baseRef, "public.ecr.aws/")))
	baseLayers, _ := base.Layers()
	layers, err := img.Layers()
	if err != nil {
		t.Fatal(err)
	}
	// A dependency layer and a code layer; Go has no dependency layer.
	if want := len(baseLayers) + e.addedLayers; len(layers) != want {
		t.Errorf("%d layers on a base of %d; want %d added", len(layers), len(baseLayers), e.addedLayers)
	}
	// Every layer has its history entry from the frontend: BuildKit fills
	// in a missing one itself, differently for a layer from an imported
	// cache, and the image's digest then depends on where it was built.
	var history int
	for _, h := range cfg.History {
		if !h.EmptyLayer {
			history++
		}
	}
	if history != len(layers) {
		t.Errorf("%d history entries for %d layers", history, len(layers))
	}
	files := addedFiles(t, layers[len(baseLayers):])
	for _, p := range e.present {
		if _, ok := files[p]; !ok {
			t.Errorf("%s is missing from the image", p)
		}
	}
	for name, f := range files {
		for _, a := range e.absent {
			// npm ci --omit=dev leaves empty scope directories; only
			// content counts.
			if strings.HasPrefix(name, a) && !f.dir {
				t.Errorf("%s must not be in the image", name)
			}
		}
		if slices.Contains(compilers, path.Base(name)) && f.mode&0o111 != 0 {
			t.Errorf("%s looks like a compiler in the image", name)
		}
		if f.mode&0o004 == 0 || (f.dir && f.mode&0o001 == 0) {
			t.Errorf("%s has mode %o: Lambda's user could not read it", name, f.mode)
		}
		if f.elf != "" && f.elf != elfMachines[arch] {
			t.Errorf("%s is an ELF binary for %s in a %s image", name, f.elf, arch)
		}
	}
	for _, p := range e.elf {
		if f := files[p]; f.elf == "" || f.mode&0o111 == 0 {
			t.Errorf("%s must be an executable ELF binary for %s (elf=%q mode=%o)", p, arch, f.elf, f.mode)
		}
	}
}

type fileInfo struct {
	mode int64
	dir  bool
	size int64
	// elf is the machine of an ELF file, like EM_AARCH64, or "".
	elf string
}

// addedFiles lists the files of the layers the frontend added.
func addedFiles(t *testing.T, layers []v1.Layer) map[string]fileInfo {
	t.Helper()
	files := map[string]fileInfo{}
	for _, l := range layers {
		rc, err := l.Uncompressed()
		if err != nil {
			t.Fatal(err)
		}
		tr := tar.NewReader(rc)
		for {
			h, err := tr.Next()
			if errors.Is(err, io.EOF) {
				break
			}
			if err != nil {
				t.Fatal(err)
			}
			name := strings.TrimPrefix(path.Clean("/"+h.Name), "/")
			fi := fileInfo{mode: h.Mode & 0o7777, dir: h.Typeflag == tar.TypeDir, size: h.Size}
			if h.Typeflag == tar.TypeReg {
				fi.elf = elfMachine(tr)
			}
			if h.Typeflag != tar.TypeSymlink {
				files[name] = fi
			}
		}
		rc.Close()
	}
	return files
}

func elfMachine(r io.Reader) string {
	dt, err := io.ReadAll(r)
	if err != nil || len(dt) < 4 || string(dt[:4]) != "\x7fELF" {
		return ""
	}
	f, err := elf.NewFile(strings.NewReader(string(dt)))
	if err != nil {
		return "invalid ELF"
	}
	return f.Machine.String()
}
