package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/buildkit-lambda/buildkit-lambda/frontend"
	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/containerd/platforms"
	"github.com/moby/buildkit/client/llb"
)

// printLLB writes the LLB definition of a lambda.yaml, for
// `frontend llb | buildctl build --local context=. --output ...`. It works
// offline: images are not resolved, so steps get the images' documented
// environment, and the output carries no image config.
func printLLB(w io.Writer, args []string) error {
	fset := flag.NewFlagSet("llb", flag.ContinueOnError)
	file := fset.String("f", "lambda.yaml", "the lambda.yaml to read, relative to the current directory")
	platform := fset.String("platform", "", "the target platform, like linux/arm64; default: the spec's architecture")
	if err := fset.Parse(args); err != nil {
		return err
	}
	contextDir := "."
	if fset.NArg() > 0 {
		contextDir = fset.Arg(0)
	}
	data, err := os.ReadFile(*file)
	if err != nil {
		return fmt.Errorf("reading %s: %w", *file, err)
	}
	s, err := lambdafile.Load(*file, data)
	if err != nil {
		return err
	}
	opt := llbgen.Options{
		BuildPlatform: platforms.DefaultSpec(),
		Context:       llb.Local("context", llb.SharedKeyHint("context")),
		Images:        llbgen.UnresolvedImages{},
		SourceMap:     llb.NewSourceMap(nil, *file, "YAML", data),
		MergeOp:       true,
		Version:       frontend.Version,
	}
	if *platform != "" {
		p, err := platforms.Parse(*platform)
		if err != nil {
			return fmt.Errorf("reading --platform: %w", err)
		}
		opt.TargetPlatform = &p
	}
	if opt.Files, err = readFiles(contextDir, llbgen.ProbeFiles(s)); err != nil {
		return err
	}
	res, err := llbgen.Generate(context.Background(), s, opt)
	if err != nil {
		return err
	}
	def, err := res.Image.Marshal(context.Background(), llb.Platform(res.Platform))
	if err != nil {
		return fmt.Errorf("marshalling LLB: %w", err)
	}
	return llb.WriteTo(def, w)
}

func readFiles(dir string, names []string) (map[string][]byte, error) {
	files := map[string][]byte{}
	for _, name := range names {
		dt, err := os.ReadFile(filepath.Join(dir, name))
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		files[name] = dt
	}
	return files, nil
}
