// Package smoketest invokes a finished Lambda image once, as Lambda would,
// and checks the answer: the build's smoke tests, lambda.yaml's test list.
//
// It runs inside a build step on the image itself: the frontend's own
// binary is mounted into the image's file system and serves the Runtime API
// on loopback while it starts the image's entrypoint and CMD, so a test
// needs no network, no Docker and no emulator. The step runs as a non-root
// user on a read-only root with a writable /tmp, as Lambda does.
package smoketest
