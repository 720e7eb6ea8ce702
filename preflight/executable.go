package preflight

import (
	"bufio"
	"debug/elf"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strconv"
	"strings"
)

// searchPath is the PATH of the Lambda base images, where /usr/bin/env
// finds a script's interpreter.
var searchPath = []string{"/var/lang/bin", "/usr/local/bin", "/usr/bin", "/bin", "/opt/bin"}

// isScript says whether a file starts with #!.
func isScript(host string) bool {
	_, ok := shebang(host)
	return ok
}

// shebang reads a script's #! line, without the #!.
func shebang(host string) (string, bool) {
	f, err := os.Open(host)
	if err != nil {
		return "", false
	}
	defer f.Close()
	line, err := bufio.NewReaderSize(f, 256).ReadString('\n')
	if err != nil && line == "" {
		return "", false
	}
	rest, ok := strings.CutPrefix(line, "#!")
	return strings.TrimSpace(rest), ok
}

// program is what Lambda starts itself: the bootstrap, or an extension.
// check names the problems with it; failure is the error Lambda reports
// when it cannot start it, exitFailure the one when it starts and exits at
// once; archFix says what to do about one built for another architecture,
// given the right one.
type program struct {
	check, failure, exitFailure, archFix string
}

var (
	bootstrapProgram = program{check: "bootstrap", failure: "Runtime.InvalidEntrypoint", exitFailure: "Runtime.ExitError", archFix: "Build for %s"}
	extensionProgram = program{check: "extension", failure: "Extension.LaunchError", exitFailure: "Extension.Crash", archFix: "Use the extension image for %s"}
)

// startable checks that Lambda can start the file p, whose info is fi:
// executable, and a script whose interpreter the image has or an ELF
// executable of the image's architecture that finds its loader and a glibc
// old enough.
func (c *checker) startable(prog program, p, host string, fi fs.FileInfo) {
	if fi.Mode()&0o111 == 0 {
		c.add(prog.check, "%s has mode %o and is not executable; Lambda would fail with %s (permission denied)", p, fi.Mode().Perm(), prog.failure)
	}
	machine, isELF := elfMachine(host)
	switch {
	case !isELF && isScript(host):
		c.interpreter(prog, p, host)
	case !isELF:
		c.add(prog.check, "%s is not an ELF executable nor a script; Lambda would fail with %s (exec format error)", p, prog.failure)
	case machine != elfMachines[c.in.GOARCH]:
		c.add(prog.check, "%s is built for %s, but the image is for %s; Lambda would fail with %s (exec format error). "+prog.archFix,
			p, machine, c.in.GOARCH, prog.failure, c.in.GOARCH)
	default:
		if c.loader(prog, p, host) {
			c.sharedLibraries(prog, p, host)
		}
		c.glibc(prog.check, p, host)
	}
}

// interpreter checks that the image has the program a script names on its
// #! line, and, for /usr/bin/env, the program env looks for.
func (c *checker) interpreter(prog program, p, host string) {
	line, _ := shebang(host)
	fields := strings.Fields(line)
	if len(fields) == 0 {
		c.add(prog.check, "%s starts with #! and names no interpreter; Lambda would fail with %s (exec format error)", p, prog.failure)
		return
	}
	if !c.isExecutable(fields[0]) {
		c.add(prog.check, "%s runs %s, which the image does not have; Lambda would fail with %s. Use an interpreter of the base image, like /bin/sh", p, fields[0], prog.failure)
		return
	}
	if path.Base(fields[0]) != "env" || len(fields) < 2 || strings.HasPrefix(fields[1], "-") {
		return
	}
	for _, dir := range searchPath {
		if c.isExecutable(path.Join(dir, fields[1])) {
			return
		}
	}
	c.add(prog.check, "%s runs %s through env, and the image has no %s in %s; Lambda would fail with %s. Install it in the image, or use an interpreter of the base image, like /bin/sh",
		p, fields[1], fields[1], strings.Join(searchPath, ":"), prog.failure)
}

// isExecutable says whether the image has p as an executable file,
// following links.
func (c *checker) isExecutable(p string) bool {
	_, fi, err := c.image.stat(p)
	return err == nil && fi.Mode().IsRegular() && fi.Mode()&0o111 != 0
}

// loader checks that the image has the program loader a dynamically linked
// executable names, as a musl binary's /lib/ld-musl-*.so.1 is not, and
// says whether it does (or the program needs none).
func (c *checker) loader(prog program, p, host string) bool {
	f, err := elf.Open(host)
	if err != nil {
		return false
	}
	defer f.Close()
	for _, header := range f.Progs {
		if header.Type != elf.PT_INTERP {
			continue
		}
		buf := make([]byte, header.Filesz)
		if _, err := header.ReadAt(buf, 0); err != nil {
			return false
		}
		interp := strings.TrimRight(string(buf), "\x00")
		if _, _, err := c.image.stat(interp); err != nil {
			c.add(prog.check, "%s is linked to load with %s, which the image does not have; Lambda would fail with %s (no such file). Link it statically, or for the image's C library", p, interp, prog.failure)
			return false
		}
	}
	return true
}

// glibc checks that native code asks for no glibc newer than the one of
// Lambda's OS for the runtime: the loader refuses it with "version
// GLIBC_2.xx not found".
func (c *checker) glibc(check, p, host string) {
	info, ok := c.in.Runtime.Info()
	if !ok {
		return
	}
	newest, symbol := newestGlibc(host)
	if newest <= info.OS.GlibcMinor() {
		return
	}
	c.add(check, "%s needs glibc 2.%d (for %s), newer than the 2.%d of %s, which %s runs on; loading it would fail with \"version GLIBC_2.%d not found\". Build it against glibc %s or older: in a compile image of that age, or statically linked",
		p, newest, symbol, info.OS.GlibcMinor(), info.OS.Name, info.Identifier, newest, info.OS.Glibc)
}

// newestGlibc is the minor version of the newest GLIBC_2.x symbol version an
// ELF file imports, with a symbol that needs it; 0 when it imports none.
func newestGlibc(host string) (minor int, symbol string) {
	f, err := elf.Open(host)
	if err != nil {
		return 0, ""
	}
	defer f.Close()
	syms, err := f.ImportedSymbols()
	if err != nil {
		return 0, ""
	}
	name := ""
	for _, s := range syms {
		v, ok := strings.CutPrefix(s.Version, "GLIBC_2.")
		if !ok {
			continue
		}
		n, err := strconv.Atoi(strings.SplitN(v, ".", 2)[0])
		// The first name in order, of those needing the newest, so that the
		// message is the same on every run.
		if err == nil && (n > minor || n == minor && s.Name < name) {
			minor, name, symbol = n, s.Name, fmt.Sprintf("%s@%s", s.Name, s.Version)
		}
	}
	return minor, symbol
}
