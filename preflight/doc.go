// Package preflight checks the file system of a built Lambda image for what
// would make Lambda fail the function after it deploys: a handler file that
// is not there, a bootstrap that is not an executable of the function's
// architecture, native modules of another architecture, files the
// function's user cannot read, and an image over Lambda's size limit.
//
// The frontend runs these checks during the build, as a step that mounts
// the layers it adds read-only (see `frontend preflight`), with the base
// image's size measured by an earlier step that BuildKit caches (see
// `frontend preflight-size`).
package preflight
