package runtimes_test

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/internal/golden"
	"github.com/buildkit-lambda/buildkit-lambda/runtimes"
)

func TestRegistryRows(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range runtimes.All() {
		if seen[r.Name] {
			t.Errorf("%s is listed twice", r.Name)
		}
		seen[r.Name] = true
		if r.Family == nil || r.Identifier == "" || r.Base == "" || r.OS.GlibcMinor() == 0 || len(r.Architectures) == 0 || r.Deprecated.IsZero() || r.Summary == "" {
			t.Errorf("%s: incomplete row %+v", r.Name, r)
		}
		if got, ok := runtimes.Lookup(r.Name); !ok || got.Name != r.Name {
			t.Errorf("Lookup(%q) = %v, %v", r.Name, got.Name, ok)
		}
	}
	if _, ok := runtimes.Lookup("nodejs99"); ok {
		t.Error("Lookup found a runtime that does not exist")
	}
	if py, _ := runtimes.Lookup("python3.12"); !py.Supports("arm64") || py.Supports("s390x") {
		t.Errorf("python3.12 supports %q", py.Architectures)
	}
}

func TestDeprecation(t *testing.T) {
	node20, _ := runtimes.Lookup("nodejs20")
	for _, tc := range []struct {
		day  time.Time
		want string
	}{
		{time.Date(2026, 4, 29, 0, 0, 0, 0, time.UTC), ""},
		{time.Date(2026, 4, 30, 0, 0, 0, 0, time.UTC), "AWS deprecated nodejs20.x on 2026-04-30"},
		{time.Date(2026, 11, 22, 0, 0, 0, 0, time.UTC), "; move to nodejs24"},
		// Once nodejs24 is deprecated too, there is no successor to name.
		{time.Date(2028, 5, 1, 0, 0, 0, 0, time.UTC), "or updated"},
	} {
		got := node20.DeprecationNotice(tc.day)
		if (tc.want == "") != (got == "") || !strings.HasSuffix(got, tc.want) && !strings.HasPrefix(got, tc.want) {
			t.Errorf("on %s: %q, want %q", tc.day.Format(time.DateOnly), got, tc.want)
		}
	}
}

// TestNoSwitchOnRuntimes enforces that runtimes are data: outside this
// package and the families' build recipes, no code switches on a runtime
// or family, or compares one with ==. It prints the count it found.
func TestNoSwitchOnRuntimes(t *testing.T) {
	allowed := []string{"runtimes/", "llbgen/node.go", "llbgen/python.go", "llbgen/golang.go"}
	var sites []string
	err := filepath.WalkDir("..", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel("..", p)
		if d.IsDir() && (strings.HasPrefix(d.Name(), ".") || d.Name() == "testdata") && rel != "." {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(p, ".go") || strings.HasSuffix(p, "_test.go") ||
			slices.ContainsFunc(allowed, func(a string) bool { return strings.HasPrefix(filepath.ToSlash(rel), a) }) {
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, p, src, 0)
		if err != nil {
			return err
		}
		text := func(n ast.Node) string {
			return string(src[fset.Position(n.Pos()).Offset:fset.Position(n.End()).Offset])
		}
		onRuntime := func(n ast.Node) bool {
			s := text(n)
			return strings.Contains(s, "Runtime") || strings.Contains(s, "Family")
		}
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SwitchStmt:
				if n.Tag != nil && onRuntime(n.Tag) {
					sites = append(sites, fmt.Sprintf("%s: switch %s", fset.Position(n.Pos()), text(n.Tag)))
				}
			case *ast.BinaryExpr:
				empty := func(e ast.Expr) bool { return text(e) == `""` || text(e) == "nil" }
				if (n.Op == token.EQL || n.Op == token.NEQ) && (onRuntime(n.X) || onRuntime(n.Y)) && !empty(n.X) && !empty(n.Y) {
					sites = append(sites, fmt.Sprintf("%s: %s", fset.Position(n.Pos()), text(n)))
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("switches and comparisons on a runtime or family outside the registry and the recipes: %d", len(sites))
	for _, s := range sites {
		t.Errorf("runtime knowledge outside the registry: %s", s)
	}
}

// TestREADMETable keeps the README's runtime table the registry's; go test
// ./... -update rewrites it.
func TestREADMETable(t *testing.T) {
	var b strings.Builder
	b.WriteString("| runtime | AWS identifier | base image | OS (glibc) | architectures | AWS deprecates it |\n| --- | --- | --- | --- | --- | --- |\n")
	for _, r := range runtimes.All() {
		fmt.Fprintf(&b, "| `%s` | `%s` | `%s` | %s (%s) | %s | %s |\n", r.Name, r.Identifier, strings.TrimPrefix(r.Base, "public.ecr.aws/"),
			r.OS.Name, r.OS.Glibc, strings.Join(r.Architectures, ", "), r.Deprecated.Format(time.DateOnly))
	}
	golden.CheckSection(t, "../README.md", "<!-- runtimes table: generated from runtimes/registry.go by go test ./runtimes -update -->", "<!-- end of runtimes table -->", []byte(b.String()))
}
