package lambdafile

import "path"

// HandlerFiles are the files, relative to the build context, one of which
// must hold the handler's code, or nil when the handler is an executable
// bootstrap the build makes. build.output, in the workspace, is where the
// task root's files come from.
func (s *File) HandlerFiles() []string {
	fam := s.Runtime.Family()
	if fam == nil {
		return nil
	}
	files := fam.HandlerFiles(s.Handler)
	for i, f := range files {
		files[i] = path.Join(s.Workspace, s.Build.Output, f)
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
