package llbgen

import (
	"fmt"
	"strings"

	"golang.org/x/mod/modfile"
)

// goVersionFromMod is the Go version a module asks for: its toolchain line
// if there is one, else its go line. The version names the golang image.
func goVersionFromMod(data []byte) (string, error) {
	// Parse, not ParseLax: the lax parser drops the toolchain line.
	f, err := modfile.Parse("go.mod", data, nil)
	if err != nil {
		return "", fmt.Errorf("reading go.mod: %w", err)
	}
	if f.Toolchain != nil {
		if v, ok := strings.CutPrefix(f.Toolchain.Name, "go"); ok && v != "" {
			return v, nil
		}
	}
	if f.Go != nil && f.Go.Version != "" {
		return f.Go.Version, nil
	}
	return "", fmt.Errorf("reading go.mod: it has no go line; add one, like \"go 1.24\", or set go.version in lambda.yaml")
}
