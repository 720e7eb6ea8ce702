package schemagen

import (
	"encoding/json"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strconv"
	"strings"
)

// SchemaID is where the committed schema is published; examples point
// editors at it with a yaml-language-server comment.
const SchemaID = "https://raw.githubusercontent.com/buildkit-lambda/buildkit-lambda/main/lambdafile/schema.json"

// Enum is one value a named string type takes, with what it means.
type Enum struct {
	Value, Doc string
}

// Generate reads the Go package in dir and returns the JSON Schema of its
// type File. The values of a named string type are its constants, or those
// enums gives for it: values that live in data, like the runtime registry,
// rather than in constants.
func Generate(dir string, enums map[string][]Enum) ([]byte, error) {
	pkg, err := readPackage(dir)
	if err != nil {
		return nil, err
	}
	for name, vals := range enums {
		pkg.enums[name] = vals
	}
	root, err := pkg.schemaOf(&ast.Ident{Name: "File"})
	if err != nil {
		return nil, err
	}
	root["$schema"] = "https://json-schema.org/draft/2020-12/schema"
	root["$id"] = SchemaID
	root["title"] = "lambda.yaml"
	out, err := json.MarshalIndent(root, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding schema: %w", err)
	}
	return append(out, '\n'), nil
}

type goPackage struct {
	types map[string]*ast.TypeSpec
	docs  map[string]string
	// enums maps a named string type to its constants, in source order.
	enums map[string][]Enum
	// orBoolean holds the named list types the decoder also takes true or
	// false for.
	orBoolean map[string]bool
	// anyValue holds the types that take a value of any shape
	// (//schemagen:any).
	anyValue map[string]bool
}

func readPackage(dir string) (*goPackage, error) {
	// os.ReadDir sorts by name, so declarations are read in the same order
	// on every run.
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", dir, err)
	}
	fset := token.NewFileSet()
	p := &goPackage{types: map[string]*ast.TypeSpec{}, docs: map[string]string{}, enums: map[string][]Enum{}, orBoolean: map[string]bool{}, anyValue: map[string]bool{}}
	for _, e := range entries {
		name := e.Name()
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		for _, decl := range f.Decls {
			if gd, ok := decl.(*ast.GenDecl); ok {
				p.collect(gd)
			}
		}
	}
	return p, nil
}

func (p *goPackage) collect(gd *ast.GenDecl) {
	for _, s := range gd.Specs {
		switch s := s.(type) {
		case *ast.TypeSpec:
			p.types[s.Name.Name] = s
			p.docs[s.Name.Name] = text(gd.Doc)
			p.orBoolean[s.Name.Name] = hasDirective(gd.Doc, "//schemagen:or-boolean")
			p.anyValue[s.Name.Name] = hasDirective(gd.Doc, "//schemagen:any")
		case *ast.ValueSpec:
			typ, ok := s.Type.(*ast.Ident)
			if gd.Tok != token.CONST || !ok || len(s.Values) != 1 {
				continue
			}
			lit, ok := s.Values[0].(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				continue
			}
			v, err := strconv.Unquote(lit.Value)
			if err != nil {
				continue
			}
			p.enums[typ.Name] = append(p.enums[typ.Name], Enum{Value: v, Doc: text(s.Doc)})
		}
	}
}

func (p *goPackage) schemaOf(expr ast.Expr) (map[string]any, error) {
	switch t := expr.(type) {
	case *ast.Ident:
		switch t.Name {
		case "string":
			return map[string]any{"type": "string"}, nil
		case "bool":
			return map[string]any{"type": "boolean"}, nil
		}
		if vals, ok := p.enums[t.Name]; ok {
			return enumSchema(vals), nil
		}
		if p.anyValue[t.Name] {
			// The decoder takes any YAML value and keeps it as JSON.
			return map[string]any{}, nil
		}
		ts, ok := p.types[t.Name]
		if !ok {
			return nil, fmt.Errorf("type %s: not declared in package lambdafile", t.Name)
		}
		switch under := ts.Type.(type) {
		case *ast.StructType:
			return p.structSchema(t.Name, under)
		case *ast.ArrayType:
			list, err := p.schemaOf(under)
			if err != nil {
				return nil, err
			}
			if !p.orBoolean[t.Name] {
				return list, nil
			}
			// The decoder also takes true or false for such a list.
			return map[string]any{"oneOf": []any{map[string]any{"type": "boolean"}, list}}, nil
		}
		return nil, fmt.Errorf("type %s: only structs, strings, bools, lists and maps are supported", t.Name)
	case *ast.ArrayType:
		items, err := p.schemaOf(t.Elt)
		if err != nil {
			return nil, err
		}
		return map[string]any{"type": "array", "items": items}, nil
	case *ast.MapType:
		vals, err := p.schemaOf(t.Value)
		if err != nil {
			return nil, err
		}
		return map[string]any{"type": "object", "additionalProperties": vals}, nil
	}
	return nil, fmt.Errorf("unsupported field type %T", expr)
}

func (p *goPackage) structSchema(name string, st *ast.StructType) (map[string]any, error) {
	props := map[string]any{}
	var required []string
	var shorthand map[string]any
	for _, f := range st.Fields.List {
		if f.Tag == nil || len(f.Names) != 1 {
			continue
		}
		tag := reflect.StructTag(strings.Trim(f.Tag.Value, "`"))
		key, _, _ := strings.Cut(tag.Get("yaml"), ",")
		if key == "" || key == "-" {
			continue
		}
		doc := text(f.Doc)
		if doc == "" {
			return nil, fmt.Errorf("%s.%s: every lambda.yaml field needs a doc comment, the schema's description", name, f.Names[0].Name)
		}
		fs, err := p.schemaOf(f.Type)
		if err != nil {
			return nil, fmt.Errorf("%s.%s: %w", name, f.Names[0].Name, err)
		}
		fs["description"] = doc
		if def := tag.Get("default"); def != "" {
			fs["default"] = def
		}
		props[key] = fs
		if tag.Get("required") == "true" {
			required = append(required, key)
		}
		if tag.Get("shorthand") == "true" {
			shorthand = fs
		}
	}
	s := map[string]any{
		"type":                 "object",
		"description":          p.docs[name],
		"properties":           props,
		"additionalProperties": false,
	}
	if len(required) > 0 {
		s["required"] = required
	}
	if shorthand != nil {
		// The decoder also takes the shorthand field's value alone.
		return map[string]any{"oneOf": []any{shorthand, s}}, nil
	}
	return s, nil
}

// enumSchema lists the constants of a named string type, each with its doc
// comment, so editors show what each value means.
func enumSchema(vals []Enum) map[string]any {
	oneOf := make([]any, len(vals))
	for i, v := range vals {
		oneOf[i] = map[string]any{"const": v.Value, "description": v.Doc}
	}
	return map[string]any{"type": "string", "oneOf": oneOf}
}

// text is a doc comment as one paragraph of plain text.
func text(cg *ast.CommentGroup) string {
	return strings.Join(strings.Fields(cg.Text()), " ")
}

// hasDirective says whether a doc comment carries a //tool:directive line,
// which go/ast leaves out of the comment's text.
func hasDirective(cg *ast.CommentGroup, directive string) bool {
	if cg == nil {
		return false
	}
	return slices.ContainsFunc(cg.List, func(c *ast.Comment) bool { return c.Text == directive })
}
