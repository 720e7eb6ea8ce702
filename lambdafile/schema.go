package lambdafile

import _ "embed"

//go:generate go test ../internal/schemagen -run TestCommittedSchemaIsCurrent -update

// Schema is the JSON Schema of lambda.yaml, generated from this package's
// types by internal/schemagen; `frontend schema` prints it.
//
//go:embed schema.json
var Schema []byte
