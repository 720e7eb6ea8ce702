// Package pypi serves the wheels of hack/pypi-fixture.sh as a PEP 503
// simple index on loopback, behind basic auth, as a private package index
// would be: the end-to-end tests of a private index and its secret use it.
package pypi
