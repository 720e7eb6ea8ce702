package lambdafile

import (
	"path"

	"github.com/buildkit-lambda/buildkit-lambda/runtimes"
)

// HandlerFiles are the files, relative to the build context, one of which
// must hold the handler's code (with build.bundle, the bundle's entry), or
// nil when the build makes them: an executable bootstrap, or a compiled
// family's classes. build.output, in the workspace, is where the task
// root's files come from; a family's source directories (Python's src
// layout, for a project the build installs) are looked in too.
func (s *File) HandlerFiles() []string {
	fam := s.Runtime.Family()
	if _, compiled := fam.(runtimes.Compiled); fam == nil || compiled {
		return nil
	}
	handlerFiles := fam.HandlerFiles(s.Handler)
	if b, ok := fam.(runtimes.Bundled); ok && s.Build.Bundle.Enabled() {
		handlerFiles = b.BundleEntries(s.Handler)
	}
	var files []string
	for _, f := range handlerFiles {
		files = append(files, path.Join(s.Workspace, s.Build.Output, f))
	}
	if layout, ok := fam.(runtimes.SourceLayout); ok {
		for _, dir := range layout.SourceDirs() {
			for _, f := range handlerFiles {
				files = append(files, path.Join(s.Workspace, dir, f))
			}
		}
	}
	return files
}

// BaseImage is the final stage's base image: base, else the runtime's AWS
// base image.
func (s *File) BaseImage() string {
	if s.Base != "" {
		return s.Base
	}
	info, _ := s.Runtime.Info()
	return info.Base
}
