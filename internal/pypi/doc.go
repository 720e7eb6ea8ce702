// Package pypi serves the wheels of hack/pypi-fixture.sh as a PEP 503
// simple index on loopback, behind basic auth, as a private package index
// would be. PyPI cannot be reached from the machines the end-to-end tests
// and the benchmark run on.
package pypi
