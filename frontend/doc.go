// Package frontend is the BuildKit gateway glue of buildkit-lambda: it reads
// lambda.yaml through the gateway, hands it to spec and llbgen, solves the
// result and returns the image config. It is the only package that talks to
// the gateway; everything it builds is decided by llbgen.
package frontend
