// Package schemagen writes the JSON Schema of lambda.yaml from the Go types
// of package lambdafile and their doc comments, so the schema can never say
// something the decoder does not do. `go generate ./lambdafile` runs it, and a
// test fails when the committed lambdafile/schema.json is stale.
package schemagen
