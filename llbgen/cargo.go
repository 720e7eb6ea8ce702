package llbgen

import (
	"fmt"
	"strings"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/pelletier/go-toml/v2"
)

// cargoManifest is what the rust recipe reads of Cargo.toml.
type cargoManifest struct {
	Package *struct {
		Name string `toml:"name"`
	} `toml:"package"`
	Bin []struct {
		Name string `toml:"name"`
	} `toml:"bin"`
	Workspace *struct{} `toml:"workspace"`
}

func readCargoManifest(data []byte) (cargoManifest, error) {
	var m cargoManifest
	if err := toml.Unmarshal(data, &m); err != nil {
		return m, fmt.Errorf("reading Cargo.toml: %w", err)
	}
	return m, nil
}

// defaultBin is the binary to ship when rust.bin names none: the one
// [[bin]] of the manifest, else the package's own (src/main.rs), named
// after it. A workspace with no package has none.
func (m cargoManifest) defaultBin() string {
	if len(m.Bin) == 1 {
		return m.Bin[0].Name
	}
	if m.Package != nil {
		return m.Package.Name
	}
	return ""
}

// binNames lists the manifest's [[bin]] names.
func (m cargoManifest) binNames() string {
	names := make([]string, len(m.Bin))
	for i, b := range m.Bin {
		names[i] = b.Name
	}
	return strings.Join(names, ", ")
}

// toolchainChannel is the channel of rust-toolchain.toml when it is a
// release number, else "".
func toolchainChannel(data []byte) string {
	var f struct {
		Toolchain struct {
			Channel string `toml:"channel"`
		} `toml:"toolchain"`
	}
	if toml.Unmarshal(data, &f) != nil || !lambdafile.IsRustRelease(f.Toolchain.Channel) {
		return ""
	}
	return f.Toolchain.Channel
}
