// Package lambdarun invokes a Lambda container image the way AWS Lambda
// does: it unpacks the image, serves the Lambda Runtime API on loopback,
// runs the image's entrypoint and CMD under runc as a non-root user on a
// read-only root with a writable /tmp, feeds it one event and returns the
// function's response. It is how the end-to-end tests and `make run` prove
// that it is the image, not the source, that answers.
package lambdarun
