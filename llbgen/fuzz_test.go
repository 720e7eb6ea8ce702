package llbgen_test

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/moby/buildkit/client/llb"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// FuzzGenerate loads any input and, when it is a valid file, generates and
// marshals its LLB for both architectures: nothing may panic, and whatever
// loads must generate. It is seeded with valid files, so that mutations
// start from inputs that reach Generate.
func FuzzGenerate(f *testing.F) {
	for _, p := range []string{"../lambdafile/testdata/valid/*.yaml", "../examples/*/lambda.yaml"} {
		files, _ := filepath.Glob(p)
		for _, file := range files {
			dt, err := os.ReadFile(file)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(dt, true)
		}
	}
	f.Fuzz(func(t *testing.T, data []byte, withManifests bool) {
		s, err := lambdafile.Load("lambda.yaml", data)
		if err != nil {
			return
		}
		files := map[string][]byte{}
		if withManifests {
			files = map[string][]byte{"package.json": []byte("{}"), "package-lock.json": []byte("{}"),
				"requirements.txt": nil, "go.mod": []byte("module x\n\ngo 1.24\n"), "go.sum": nil}
		}
		for _, target := range []ocispecs.Platform{amd64, arm64} {
			p := target
			res, err := llbgen.Generate(context.Background(), s, llbgen.Options{
				TargetPlatform: &p, BuildPlatform: amd64, Context: llb.Local("context", llb.SessionID("fuzz")),
				Files: files, Images: baseImages{}, SourceMap: llb.NewSourceMap(nil, "lambda.yaml", "YAML", data), MergeOp: true,
			})
			if err != nil {
				if _, ok := err.(*llbgen.ContextError); !ok {
					t.Fatalf("a valid spec failed to generate with a non-user error: %v", err)
				}
				continue
			}
			if _, err := res.Image.Marshal(context.Background()); err != nil {
				t.Fatalf("marshal: %v", err)
			}
		}
	})
}
