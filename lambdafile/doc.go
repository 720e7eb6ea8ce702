// Package lambdafile defines lambda.yaml, version 1, and loads it strictly.
//
// Load decodes the YAML syntax tree itself rather than unmarshalling into
// structs, so that every value keeps its line and column, every mistake in a
// file is reported at once, and YAML features that have no business in a
// build file (anchors, aliases, tags, merge keys) are refused instead of
// expanded. The Go types in file.go and their doc comments are also the source
// of the JSON Schema in schema.json.
package lambdafile
