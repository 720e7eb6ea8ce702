package frontend

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/checks"
	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/frontend/subrequests/lint"
	"github.com/moby/buildkit/solver/pb"
)

// checksURL is where docs/checks.md explains each rule of --check.
const checksURL = "https://github.com/buildkit-lambda/buildkit-lambda/blob/main/docs/checks.md#"

// runChecks runs checks.Check for every target platform and merges the
// findings, so a multi-platform build reports each shared finding once.
func runChecks(ctx context.Context, bc *dockerui.Client, s *lambdafile.File, cf *contextFiles) ([]checks.Finding, error) {
	ignore, err := bc.DockerIgnorePatterns(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading .dockerignore: %w", err)
	}
	in := checks.CheckInput{Files: cf.files, Links: cf.links, Ignore: ignore, BuildArgs: bc.BuildArgs, Today: time.Now()}
	if len(bc.TargetPlatforms) == 0 {
		return checks.Check(s, in), nil
	}
	var all []checks.Finding
	for i := range bc.TargetPlatforms {
		in.TargetPlatform = &bc.TargetPlatforms[i]
		for _, f := range checks.Check(s, in) {
			if !slices.Contains(all, f) {
				all = append(all, f)
			}
		}
	}
	return all, nil
}

// reportFindings shows warnings in the build output, the way the Dockerfile
// frontend shows its lint warnings, and fails the build on an error.
// Info-level findings are only for --check.
func reportFindings(ctx context.Context, s *lambdafile.File, src *dockerui.Source, findings []checks.Finding) error {
	for _, f := range findings {
		switch f.Level {
		case checks.LevelWarning:
			src.Warn(ctx, f.Rule+": "+f.Msg, client.WarnOpts{URL: checksURL + f.Rule, Range: []*pb.Range{rangeOf(s.Pos(f.Path))}})
		case checks.LevelError:
			return withSource(&llbgen.ContextError{Path: f.Path, Msg: f.Msg}, s, src.SourceMap)
		}
	}
	return nil
}

// answerCheck answers --check (the lint subrequest). BuildKit's lint result
// sets exit status 1 on any warning; on a lambda.yaml --check fails on
// errors alone, which travel in the result's error field and make buildx
// exit non-zero by themselves, so the status is always 0.
func answerCheck(s *lambdafile.File, src *dockerui.Source, findings []checks.Finding) (*client.Result, error) {
	res, err := lintResults(s, src, findings).ToResult(nil)
	if err != nil {
		return nil, fmt.Errorf("encoding the check results: %w", err)
	}
	res.AddMeta("result.statuscode", []byte("0"))
	return res, nil
}

// lintResults lists the findings for --check: errors in the result's
// error, warnings and info as its warnings.
func lintResults(s *lambdafile.File, src *dockerui.Source, findings []checks.Finding) *lint.LintResults {
	res := &lint.LintResults{Warnings: []lint.Warning{}}
	srcIndex := res.AddSource(src.SourceMap)
	for _, f := range findings {
		ranges := []*pb.Range{rangeOf(s.Pos(f.Path))}
		if f.Level == checks.LevelError {
			if res.Error == nil {
				res.Error = &lint.BuildError{Message: f.Rule + ": " + f.Msg}
				res.Error.Location.SourceIndex, res.Error.Location.Ranges = int32(srcIndex), ranges
			}
			continue
		}
		detail := f.Msg
		if f.Level == checks.LevelInfo {
			detail = "(info) " + detail
		}
		res.Warnings = append(res.Warnings, lint.Warning{
			RuleName: f.Rule, Description: f.Level.String(), URL: checksURL + f.Rule, Detail: detail,
			Location: &pb.Location{SourceIndex: int32(srcIndex), Ranges: ranges},
		})
	}
	return res
}
