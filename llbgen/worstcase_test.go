package llbgen_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/moby/buildkit/client/llb"
)

// worstCases are inputs of up to lambdafile.MaxSize built to cost the most
// within the limits, or to cross one as late as possible.
func worstCases() map[string][]byte {
	fill := func(prefix, format string, n int) string {
		var b strings.Builder
		b.WriteString(prefix)
		for i := range n {
			fmt.Fprintf(&b, format, i)
		}
		return b.String()
	}
	node := "runtime: nodejs22\nhandler: app.handler\n"
	cases := map[string]string{
		// Every command mounts every secret and sees every argument.
		"commands × secrets × args": fill(node+"secrets:\n", "  - id: s%d\n", lambdafile.MaxSecrets) +
			fill("args:\n", "  A%d: "+strings.Repeat("v", 80)+"\n", lambdafile.MaxEntries) +
			fill("build:\n  commands:\n", "    - "+strings.Repeat("echo x; ", 1000)+"%d\n", lambdafile.MaxCommands),
		"block lines at the limit":    fill(node+"labels:\n", "  k%d: v\n", lambdafile.MaxLines-5),
		"flow entries at the limit":   fill(node+"labels: {", "k%d: v, ", lambdafile.MaxFlowEntries-1) + "}\n",
		"flow nesting past the limit": node + "env: " + strings.Repeat("[", lambdafile.MaxSize/2-100) + "\n",
		"long values":                 fill(node+"env:\n", "  V%d: "+strings.Repeat("x", lambdafile.MaxValue-100)+"\n", 14),
		"errors on every line":        fill(node, "k%d: 1\n", lambdafile.MaxLines-5),
		"a 1 MiB unknown key":         node + strings.Repeat("k", lambdafile.MaxSize-200) + ": 1\n",
		"quotes that hide brackets":   node + "env:\n  A: \"" + strings.Repeat("[", lambdafile.MaxSize-200) + "\"\n",
		"env with ${} references":     fill(node+"args:\n  A: x\nenv:\n", "  E%d: "+strings.Repeat("${A}", 400)+"\n", lambdafile.MaxEntries),
	}
	out := map[string][]byte{}
	for name, s := range cases {
		if len(s) > lambdafile.MaxSize {
			s = s[:lambdafile.MaxSize]
		}
		out[name] = []byte(s)
	}
	return out
}

// BenchmarkWorstCase loads and generates each worst case: with -cpu 1,
// each must take under a second and allocate under 100 MB (B/op).
// docs/limits.md quotes a run.
func BenchmarkWorstCase(b *testing.B) {
	for name, data := range worstCases() {
		b.Run(strings.ReplaceAll(name, " ", "_"), func(b *testing.B) {
			b.ReportAllocs()
			for range b.N {
				s, err := lambdafile.Load("lambda.yaml", data)
				if err != nil {
					continue
				}
				res, err := llbgen.Generate(context.Background(), s, llbgen.Options{
					TargetPlatform: &arm64, BuildPlatform: amd64, Context: llb.Local("context", llb.SessionID("bench")),
					Files:  map[string][]byte{"package.json": []byte(`{}`), "package-lock.json": nil},
					Images: baseImages{}, SourceMap: llb.NewSourceMap(nil, "lambda.yaml", "YAML", data), MergeOp: true,
				})
				if err != nil {
					b.Fatal(err)
				}
				if _, err := res.Image.Marshal(context.Background()); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
