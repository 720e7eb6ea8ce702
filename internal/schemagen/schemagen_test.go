package schemagen_test

import (
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/internal/golden"
	"github.com/buildkit-lambda/buildkit-lambda/internal/schemagen"
	"github.com/buildkit-lambda/buildkit-lambda/spec"
)

// TestCommittedSchemaIsCurrent fails when spec/schema.json no longer matches
// the spec's Go types and doc comments.
func TestCommittedSchemaIsCurrent(t *testing.T) {
	got, err := schemagen.Generate("../../spec")
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "../../spec/schema.json", got)
	if !*golden.Update && string(spec.Schema) != string(got) {
		t.Error("the schema embedded in package spec differs from spec/schema.json; rebuild")
	}
}
