// Package preflight checks the file system of a built Lambda image for what
// would make Lambda fail the function after it deploys: a handler file that
// is not there, a bootstrap that is not an executable of the function's
// architecture, native modules of another architecture, files the
// function's user cannot read, an image over Lambda's size limit, and a
// Python or Node.js handler that imports a module the image does not have.
//
// The frontend runs these checks during the build, as a step that mounts
// the layers it adds read-only (see `frontend preflight`). Two earlier
// steps, which BuildKit caches, prepare what it reads of the rest, each as
// a stand-in, a listing of a layer's files with the few whose content the
// checks open: what the checks need of the base image, with its size and
// the names of its Python modules and shared libraries (see `frontend
// preflight-base`), and the dependency layer, checked on its own (see
// `frontend preflight-deps`), so that a code change reads and pulls neither
// again.
package preflight
