package lambdafile

import "github.com/buildkit-lambda/buildkit-lambda/runtimes"

// Runtime names a Lambda runtime of the registry (package runtimes), like
// nodejs22, python3.13 or go.
type Runtime string

// Info is the runtime's registry row; ok is false for a name the registry
// does not know. Load refuses such names, so a loaded File's runtime is
// always known.
func (r Runtime) Info() (info runtimes.Runtime, ok bool) {
	return runtimes.Lookup(string(r))
}

// Family is the runtime's family, or nil for a name the registry does not
// know.
func (r Runtime) Family() runtimes.Family {
	info, ok := r.Info()
	if !ok {
		return nil
	}
	return info.Family
}

// Architecture is a Lambda instruction set architecture.
type Architecture string

// The architectures Lambda runs functions on.
const (
	// linux/amd64.
	ArchX8664 Architecture = "x86_64"
	// linux/arm64 (Graviton).
	ArchARM64 Architecture = "arm64"
)

// Architectures lists every architecture, the default first.
var Architectures = []Architecture{ArchX8664, ArchARM64}

// GOARCH is the architecture's name in Go and OCI platforms.
func (a Architecture) GOARCH() string {
	if a == ArchARM64 {
		return "arm64"
	}
	return "amd64"
}

// ArchitectureOf maps an OCI/Go architecture name back to Lambda's name; ok is
// false for an architecture Lambda does not run.
func ArchitectureOf(goarch string) (a Architecture, ok bool) {
	switch goarch {
	case "amd64":
		return ArchX8664, true
	case "arm64":
		return ArchARM64, true
	}
	return "", false
}
