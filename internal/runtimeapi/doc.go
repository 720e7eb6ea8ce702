// Package runtimeapi serves one invocation of the AWS Lambda Runtime API
// (2018-06-01) on loopback, the way Lambda's own service does for a
// function's runtime client: it hands out one event, then reports what the
// function answered. The build's smoke tests (package smoketest) and the
// end-to-end tests' invoke harness (package lambdarun) share it.
package runtimeapi
