// Package llbgen turns a loaded lambda.yaml into BuildKit LLB: a compile
// stage and a final image on the AWS Lambda base image.
//
// It is pure: it never talks to the BuildKit gateway. Everything it needs
// from the outside world comes in through Options (the build context as an
// LLB state, image configs through ImageResolver, the few manifest files it
// must read), so the same code serves the gateway frontend, the offline
// `frontend llb` command and the unit tests, and the same input always gives
// the same LLB digest.
package llbgen
