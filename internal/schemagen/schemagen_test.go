package schemagen_test

import (
	"testing"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/internal/golden"
	"github.com/buildkit-lambda/buildkit-lambda/internal/schemagen"
	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/runtimes"
)

// runtimeEnum is the runtimes of the registry, the values of runtime:.
func runtimeEnum() []schemagen.Enum {
	var vals []schemagen.Enum
	for _, r := range runtimes.All() {
		vals = append(vals, schemagen.Enum{Value: r.Name, Doc: r.Summary + " AWS deprecates it on " + r.Deprecated.Format(time.DateOnly) + "."})
	}
	return vals
}

// TestCommittedSchemaIsCurrent fails when lambdafile/schema.json no longer matches
// the lambdafile Go types and doc comments.
func TestCommittedSchemaIsCurrent(t *testing.T) {
	got, err := schemagen.Generate("../../lambdafile", map[string][]schemagen.Enum{"Runtime": runtimeEnum()})
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, "../../lambdafile/schema.json", got)
	if !*golden.Update && string(lambdafile.Schema) != string(got) {
		t.Error("the schema embedded in package lambdafile differs from lambdafile/schema.json; rebuild")
	}
}
