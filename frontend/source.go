package frontend

import (
	"errors"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/errdefs"
	"github.com/moby/buildkit/solver/pb"
)

// withSource attaches lambda.yaml and the offending places to a user
// mistake, so that buildx prints the lines the way it does for a Dockerfile.
// s may be nil when the file could not be loaded.
func withSource(err error, s *lambdafile.File, sm *llb.SourceMap) error {
	info := &pb.SourceInfo{Data: sm.Data, Filename: sm.Filename, Language: sm.Language}
	if sm.Definition != nil {
		info.Definition = sm.Definition.ToPB()
	}
	var errs lambdafile.Errors
	var cerr *llbgen.ContextError
	switch {
	case errors.As(err, &errs):
		// errdefs.Sources lists the innermost source first: wrapping in file
		// order makes buildx print the excerpts in file order.
		for _, e := range errs {
			if e.Pos.Line > 0 {
				err = errdefs.WithSource(err, &errdefs.Source{Info: info, Ranges: []*pb.Range{rangeOf(e.Pos)}})
			}
		}
	case errors.As(err, &cerr) && s != nil:
		located := s.ErrorAt(cerr.Path, cerr.Msg)
		err = located
		if located.Pos.Line > 0 {
			err = errdefs.WithSource(err, &errdefs.Source{Info: info, Ranges: []*pb.Range{rangeOf(located.Pos)}})
		}
	}
	return err
}

// rangeOf is the whole line of a position, as buildx highlights it.
func rangeOf(pos lambdafile.Pos) *pb.Range {
	return &pb.Range{
		Start: &pb.Position{Line: int32(pos.Line), Character: int32(max(pos.Column-1, 0))},
		End:   &pb.Position{Line: int32(pos.Line)},
	}
}
