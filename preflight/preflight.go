package preflight

import (
	"debug/elf"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"slices"
	"strings"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/runtimes"
)

// MaxImageBytes is Lambda's limit on an image's uncompressed size.
const MaxImageBytes = 10 << 30

// The Lambda directories the checks look at.
const (
	taskRoot   = runtimes.TaskRoot
	runtimeDir = runtimes.RuntimeDir
	// optDir holds what layers and extensions add; extensionsDir the
	// extensions Lambda starts beside the function.
	optDir        = "/opt"
	extensionsDir = optDir + "/extensions"
)

// Input describes the function the image is for.
type Input struct {
	Runtime lambdafile.Runtime
	Handler string
	// GOARCH is the image's architecture, amd64 or arm64.
	GOARCH string
	// BaseBytes counts toward the size limit the files of the base image
	// that are not in the layers Run checks, as Base measures them once,
	// so that a rebuild does not walk the whole base again.
	BaseBytes int64
	// BaseModules are the library modules of the base image outside those
	// layers, as Base lists them.
	BaseModules []string
	// BaseLibraries are the names of the shared libraries the dynamic
	// loader finds in the base image outside those layers, as Base lists
	// them.
	BaseLibraries []string
	// LibraryPath is the image's LD_LIBRARY_PATH, where the dynamic loader
	// looks first.
	LibraryPath string
	// StandIns are the layer directories, if any, that hold a stand-in
	// of a layer instead of its files: the one Base wrote of the base
	// image, the one PrepareDeps wrote of the dependency layer.
	StandIns []string
}

// Problem is one failed check.
type Problem struct {
	// Check names the check, like "handler".
	Check string
	Msg   string
}

func (p Problem) String() string { return p.Check + ": " + p.Msg }

// elfMachines are the ELF machines of the architectures Lambda runs.
var elfMachines = map[string]elf.Machine{"amd64": elf.EM_X86_64, "arm64": elf.EM_AARCH64}

// Run checks the image made of the layer directories, lowest first (one
// directory when the image is at hand whole). The problems are in a fixed
// order: handler, bootstrap, extensions, native code, permissions, size, imports.
func Run(layerDirs []string, in Input) (Report, error) {
	if len(layerDirs) == 0 {
		return Report{}, errors.New("no image layers to check")
	}
	fam := in.Runtime.Family()
	if fam == nil {
		return Report{}, fmt.Errorf("unknown runtime %q", in.Runtime)
	}
	image := make(layers, len(layerDirs))
	for i, dir := range layerDirs {
		if !slices.Contains(in.StandIns, dir) {
			image[i] = dirLayer(dir)
			continue
		}
		s, err := readStandIn(dir)
		if err != nil {
			return Report{}, err
		}
		image[i] = s
	}
	c := &checker{image: image, in: in, libraryModules: slices.Clone(in.BaseModules)}
	files := fam.HandlerFiles(in.Handler)
	if files != nil {
		c.handler(fam, files)
	} else {
		c.bootstrap()
	}
	c.extensions()
	if err := c.walk(); err != nil {
		return Report{}, err
	}
	if imp, ok := fam.(runtimes.Importer); ok {
		if i := slices.IndexFunc(files, func(f string) bool { return c.isFile(path.Join(taskRoot, f)) }); i >= 0 {
			c.imports(imp, path.Join(taskRoot, files[i]))
		}
	}
	return Report{Problems: c.problems, Notes: c.notes}, nil
}

// Report is what Run found.
type Report struct {
	// Problems are the failed checks; any one fails the build.
	Problems []Problem
	// Notes say which checks could not run on this image, and why.
	Notes []string
}

type checker struct {
	image    layers
	in       Input
	problems []Problem
	// libraryModules are the modules the image's Python installation
	// provides, from the base and from the layers walked.
	libraryModules []string
	// notes say what was not checked, and why.
	notes []string
}

func (c *checker) add(check, format string, args ...any) {
	c.problems = append(c.problems, Problem{Check: check, Msg: fmt.Sprintf(format, args...)})
}

func (c *checker) isFile(p string) bool {
	_, fi, err := c.image.stat(p)
	return err == nil && fi.Mode().IsRegular()
}

// handler checks that one of the handler's files is in the task root.
func (c *checker) handler(fam runtimes.Family, files []string) {
	want := make([]string, len(files))
	for i, f := range files {
		want[i] = path.Join(taskRoot, f)
	}
	if slices.ContainsFunc(want, c.isFile) || c.inArchive(fam, files) {
		return
	}
	where := strings.Join(want, " or ")
	if compiled, ok := fam.(runtimes.Compiled); ok {
		for _, dir := range compiled.LibraryDirs() {
			where += fmt.Sprintf(", or %s in a jar of %s", strings.Join(files, " or "), path.Join(taskRoot, dir))
		}
	}
	c.add("handler", "handler %s needs %s, and the image has none; Lambda would fail every invocation with %s. Check handler and build.output (the task root holds: %s)",
		c.in.Handler, where, fam.MissingHandlerError(), c.listTaskRoot())
}

// listTaskRoot names a few entries of the task root, for the handler message.
func (c *checker) listTaskRoot() string {
	names := c.image.readDir(taskRoot)
	if len(names) == 0 {
		return "nothing"
	}
	if len(names) > 8 {
		names = append(names[:8], "...")
	}
	return strings.Join(names, " ")
}

// bootstrap checks what provided.al2023 runs: an executable bootstrap of the
// function's architecture.
func (c *checker) bootstrap() {
	p := runtimeDir + "/bootstrap"
	if !c.isFile(p) {
		p = taskRoot + "/bootstrap"
	}
	host, fi, err := c.image.stat(p)
	if err != nil || !fi.Mode().IsRegular() {
		c.add("bootstrap", "there is no %s/bootstrap file; Lambda would fail every invocation with Runtime.InvalidEntrypoint. A custom runtime's build.output must hold an executable named bootstrap", runtimeDir)
		return
	}
	if isArchive(host) {
		// What go build -o writes for a package that is not package main.
		c.add("bootstrap", "%s is a Go package archive, not a program: go.main names a package that is not package main; point go.main at the directory of the package main that calls lambda.Start", p)
		return
	}
	c.startable(bootstrapProgram, p, host, fi)
}

// walk checks every file of the image for size, and those the frontend
// adds (the task root, the runtime directory and the extensions' /opt) for
// permissions and native code.
func (c *checker) walk() error {
	total := c.in.BaseBytes
	err := c.image.walk(func(e entry) error {
		mode := e.info.Mode()
		if mode.IsRegular() {
			total += e.info.Size()
		}
		if m := libraryModule(e.path); m != "" {
			c.libraryModules = append(c.libraryModules, m)
		}
		if !under(e.path, taskRoot) && !under(e.path, runtimeDir) && !under(e.path, optDir) {
			return nil
		}
		switch {
		case mode.IsDir() && mode&0o005 != 0o005:
			c.add("permissions", "directory %s has mode %o; Lambda runs the function as a user that cannot list it. Make it a+rx", e.path, mode.Perm())
		case mode.IsRegular() && mode&0o004 == 0:
			c.add("permissions", "%s has mode %o; Lambda runs the function as a user that cannot read it. Make it a+r", e.path, mode.Perm())
		case mode.IsRegular() && strings.HasSuffix(e.path, ".jar"):
			c.jarNative(e.path, e.host)
		case mode.IsRegular() && isNative(e.path):
			if m, ok := elfMachine(e.host); ok && m != elfMachines[c.in.GOARCH] {
				c.add("native code", "%s is native code for %s in an image for %s; loading it would fail with an invalid ELF header. Install the dependency for the target platform", e.path, m, c.in.GOARCH)
			} else if ok {
				c.glibc("native code", e.path, e.host)
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("reading the image: %w", err)
	}
	if total > MaxImageBytes {
		c.add("size", "the image holds %.1f GiB of files; Lambda refuses images over 10 GiB uncompressed", float64(total)/(1<<30))
	}
	return nil
}

func under(p, dir string) bool { return p == dir || strings.HasPrefix(p, dir+"/") }

// isNative says whether a file name is one of a native module or library.
func isNative(p string) bool {
	b := path.Base(p)
	return strings.HasSuffix(b, ".node") || strings.HasSuffix(b, ".so") || strings.Contains(b, ".so.")
}

// isArchive says whether a file is an ar archive, as Go writes for
// packages that are not programs.
func isArchive(p string) bool {
	f, err := os.Open(p)
	if err != nil {
		return false
	}
	defer f.Close()
	magic := make([]byte, 8)
	_, err = io.ReadFull(f, magic)
	return err == nil && string(magic) == "!<arch>\n"
}

// elfMachine reads the machine of an ELF file; ok is false for other files.
func elfMachine(p string) (m elf.Machine, ok bool) {
	f, err := elf.Open(p)
	if err != nil {
		return 0, false // not an ELF file
	}
	defer f.Close()
	return f.Machine, true
}

// extensions checks what Lambda starts from /opt/extensions before the
// function: each file an executable of the image's architecture, or a
// script whose interpreter the image has.
func (c *checker) extensions() {
	for _, name := range c.image.readDir(extensionsDir) {
		p := path.Join(extensionsDir, name)
		host, fi, err := c.image.stat(p)
		if err != nil || !fi.Mode().IsRegular() {
			continue // a directory, or a link to nothing, is not started
		}
		c.startable(extensionProgram, p, host, fi)
	}
}
