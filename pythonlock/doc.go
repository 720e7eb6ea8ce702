// Package pythonlock turns a Python project's lockfile (uv.lock,
// poetry.lock or Pipfile.lock) into the exact list of distributions one
// Lambda runtime needs: each pinned to its locked version and hashes, in
// the form of a pip requirements file that pip installs with --no-deps
// and --require-hashes.
//
// Why read the lock here rather than run the locker's own export in the
// build: the frontend knows the target exactly (Python version, Linux,
// x86_64 or aarch64), so it can evaluate every environment marker now and
// follow only the edges the function needs. The build then needs no copy
// of uv, Poetry or Pipenv, every lock format goes through one pip step,
// pip enforces the lock's hashes, and the LLB names each distribution,
// so the dependency step is cached by the production closure alone: a new
// dev dependency changes nothing in the image.
package pythonlock
