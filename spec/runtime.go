package spec

// Runtime names a Lambda runtime.
type Runtime string

// The runtimes of lambda.yaml version 1.
const (
	// Node.js 20 on public.ecr.aws/lambda/nodejs:20.
	RuntimeNodeJS20 Runtime = "nodejs20"
	// Node.js 22 on public.ecr.aws/lambda/nodejs:22.
	RuntimeNodeJS22 Runtime = "nodejs22"
	// Python 3.12 on public.ecr.aws/lambda/python:3.12.
	RuntimePython312 Runtime = "python3.12"
	// Python 3.13 on public.ecr.aws/lambda/python:3.13.
	RuntimePython313 Runtime = "python3.13"
	// Go, as a bootstrap binary on public.ecr.aws/lambda/provided:al2023.
	RuntimeGo Runtime = "go"
)

// Runtimes lists every runtime, in the order the docs show them.
var Runtimes = []Runtime{RuntimeNodeJS20, RuntimeNodeJS22, RuntimePython312, RuntimePython313, RuntimeGo}

// Family groups runtimes that build the same way.
type Family string

// The runtime families.
const (
	FamilyNode   Family = "nodejs"
	FamilyPython Family = "python"
	FamilyGo     Family = "go"
)

// Family is the family of a known runtime, or "" for an unknown one.
func (r Runtime) Family() Family {
	switch r {
	case RuntimeNodeJS20, RuntimeNodeJS22:
		return FamilyNode
	case RuntimePython312, RuntimePython313:
		return FamilyPython
	case RuntimeGo:
		return FamilyGo
	}
	return ""
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
