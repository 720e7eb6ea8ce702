// Package gemsource serves the gems of hack/gem-fixture.sh as a gem source
// on loopback, with the compact index Bundler reads, as rubygems.org serves
// it: the end-to-end tests of the Ruby family install from it, since
// RubyGems cannot be reached from the machines the tests run on.
package gemsource
