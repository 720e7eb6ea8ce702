// Package lambdazip writes the .zip files Lambda deploys, a function's
// deployment package and a layer, from directory trees, the same bytes for
// the same trees: entries sorted by name, one fixed timestamp, modes
// normalised to 0644 and 0755, and no owners. The frontend's binary runs it
// in a build step (`frontend zip`), so no image needs a zip tool.
package lambdazip
