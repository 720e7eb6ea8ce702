package preflight

import (
	"archive/zip"
	"debug/elf"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/buildkit-lambda/buildkit-lambda/runtimes"
)

// inArchive says whether one of the handler's files is packed in a jar of
// a compiled family's library directories, as a shaded jar packs its
// classes.
func (c *checker) inArchive(fam runtimes.Family, files []string) bool {
	compiled, ok := fam.(runtimes.Compiled)
	if !ok {
		return false
	}
	for _, dir := range compiled.LibraryDirs() {
		for _, name := range c.image.readDir(path.Join(taskRoot, dir)) {
			if !strings.HasSuffix(name, ".jar") {
				continue
			}
			host, fi, err := c.image.stat(path.Join(taskRoot, dir, name))
			if err != nil || !fi.Mode().IsRegular() {
				continue
			}
			if entries, err := jarEntries(host); err == nil && slices.ContainsFunc(files, func(f string) bool { return slices.Contains(entries, f) }) {
				return true
			}
		}
	}
	return false
}

// jarEntries lists the file names in a jar.
func jarEntries(host string) ([]string, error) {
	r, err := zip.OpenReader(host)
	if err != nil {
		return nil, err
	}
	defer r.Close()
	names := make([]string, 0, len(r.File))
	for _, f := range r.File {
		names = append(names, f.Name)
	}
	return names, nil
}

// jarNative warns about a jar that carries native libraries, none of them
// for the image's architecture: the Java code runs anywhere, but the
// library it loads does not, which fails only when the code that needs it
// runs. A jar with no native library, or one for the image's architecture
// among others, is fine.
func (c *checker) jarNative(p, host string) {
	r, err := zip.OpenReader(host)
	if err != nil {
		return
	}
	defer r.Close()
	var others []string
	for _, f := range r.File {
		if !isNative(f.Name) || f.FileInfo().IsDir() {
			continue
		}
		m, ok := zipELFMachine(f)
		switch {
		case !ok:
		case m == elfMachines[c.in.GOARCH]:
			return
		default:
			others = append(others, fmt.Sprintf("%s (%s)", f.Name, m))
		}
	}
	if len(others) > 0 {
		c.notes = append(c.notes, fmt.Sprintf("warning: %s carries native code only for other architectures than %s: %s; the code that loads it would fail on Lambda. Use a build of the dependency for %s",
			p, c.in.GOARCH, strings.Join(others, ", "), c.in.GOARCH))
	}
}

// zipELFMachine reads the machine of an ELF file in a jar; ok is false for
// other files.
func zipELFMachine(f *zip.File) (m elf.Machine, ok bool) {
	rc, err := f.Open()
	if err != nil {
		return 0, false
	}
	defer rc.Close()
	// e_machine is the half-word at offset 18 of the header, in the file's
	// byte order; the entry is compressed, so debug/elf, which wants to seek,
	// cannot read it in place.
	head := make([]byte, 20)
	if _, err := io.ReadFull(rc, head); err != nil {
		return 0, false
	}
	if string(head[:4]) != elf.ELFMAG {
		return 0, false
	}
	var machine uint16
	switch head[elf.EI_DATA] {
	case byte(elf.ELFDATA2LSB):
		machine = uint16(head[18]) | uint16(head[19])<<8
	case byte(elf.ELFDATA2MSB):
		machine = uint16(head[18])<<8 | uint16(head[19])
	default:
		return 0, false
	}
	return elf.Machine(machine), true
}
