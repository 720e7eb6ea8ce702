// Package runtimes is the registry of the Lambda runtimes lambda.yaml
// builds for: one row per runtime (its base image, Amazon Linux generation,
// glibc, architectures and AWS's deprecation date) and one Family per
// language, which knows the language's handler syntax and where a
// handler's code lives.
//
// Everything that differs between runtimes is read from here. Adding a
// runtime version is one row in registry.go; adding a language is one
// Family and one build recipe in llbgen. Nothing else lists runtimes or
// switches on their names: the schema's enum, --check's DeprecatedRuntime
// rule, the README's runtime table and the tests all read the registry.
package runtimes
