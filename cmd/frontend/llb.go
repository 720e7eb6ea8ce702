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
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/checks"
	"github.com/buildkit-lambda/buildkit-lambda/frontend"
	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/containerd/platforms"
	"github.com/moby/buildkit/client/llb"
)

// maxManifest bounds a dependency manifest the command reads; a real
// lockfile is a few megabytes at most.
const maxManifest = 64 << 20

// printLLB writes the LLB definition of a lambda.yaml, for
// `frontend llb | buildctl build --local context=. --output ...`. It works
// offline: images are not resolved, so steps get the images' documented
// environment, and the output carries no image config. It runs the checks
// a build runs, warnings to w's side channel (stderr) and errors as the
// command's error, each at its line.
func printLLB(w, warn io.Writer, args []string) error {
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
	if fi, err := os.Stat(contextDir); err != nil || !fi.IsDir() {
		return fmt.Errorf("reading the build context %s: not a directory", contextDir)
	}
	data, err := readRegular(*file, lambdafile.MaxSize+1)
	if err != nil {
		return err
	}
	s, err := lambdafile.Load(*file, data)
	if err != nil {
		return err
	}
	ctx, err := readContext(contextDir, llbgen.ProbeFiles(s), checks.ProbeFiles(s), checks.LinkProbes(s))
	if err != nil {
		return err
	}
	opt := llbgen.Options{
		BuildPlatform: platforms.DefaultSpec(),
		Context:       llb.Local("context", llb.SharedKeyHint("context")),
		Files:         ctx.files,
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
	for _, f := range checks.Check(s, checks.CheckInput{TargetPlatform: opt.TargetPlatform, Files: ctx.files, Links: ctx.links, Today: time.Now()}) {
		located := s.ErrorAt(f.Path, f.Rule+": "+f.Msg)
		if f.Level == checks.LevelError {
			return located
		}
		if f.Level == checks.LevelWarning {
			fmt.Fprintf(warn, "warning: %s\n", located)
		}
	}
	res, err := llbgen.Generate(context.Background(), s, opt)
	var cerr *llbgen.ContextError
	if errors.As(err, &cerr) {
		return s.ErrorAt(cerr.Path, cerr.Msg)
	}
	if err != nil {
		return err
	}
	def, err := res.Image.Marshal(context.Background(), llb.Platform(res.Platform))
	if err != nil {
		return fmt.Errorf("marshalling LLB: %w", err)
	}
	return llb.WriteTo(def, w)
}

// contextFiles is what the command reads of the build context, as the
// gateway frontend does.
type contextFiles struct {
	files map[string][]byte
	links map[string]string
}

// readContext reads the manifests, notes which of the present files exist
// (never reading them: a handler file can be large), and reads the
// symbolic links among the link probes. Anything that is not a regular
// file where one is read is an error: a FIFO would block the command.
func readContext(dir string, manifests, present, linkProbes []string) (*contextFiles, error) {
	out := &contextFiles{files: map[string][]byte{}, links: map[string]string{}}
	for _, name := range manifests {
		dt, err := readRegular(filepath.Join(dir, name), maxManifest)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return nil, err
		}
		out.files[name] = dt
	}
	for _, name := range present {
		if fi, err := os.Stat(filepath.Join(dir, name)); err == nil && fi.Mode().IsRegular() {
			out.files[name] = nil
		}
	}
	for _, name := range linkProbes {
		if target, err := os.Readlink(filepath.Join(dir, name)); err == nil {
			out.links[name] = target
		}
	}
	return out, nil
}

// readRegular reads a regular file of less than limit bytes, without ever
// reading more than limit: -f /dev/zero or a FIFO is an error, not a hang.
func readRegular(name string, limit int64) ([]byte, error) {
	fi, err := os.Stat(name)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("reading %s: it is %s, not a regular file", name, fileKind(fi.Mode()))
	}
	f, err := os.Open(name)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	defer f.Close()
	dt, err := io.ReadAll(io.LimitReader(f, limit))
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", name, err)
	}
	if int64(len(dt)) >= limit {
		return nil, fmt.Errorf("reading %s: more than %d bytes", name, limit-1)
	}
	return dt, nil
}

// fileKind names what a non-regular file is, for messages.
func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a FIFO"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "a special file"
}
