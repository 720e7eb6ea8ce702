package llbgen_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
)

// TestPackageManagerOverride: build.packageManager chooses the manager
// where the lockfiles would choose another, at its version, and names
// itself when its lockfile is missing.
func TestPackageManagerOverride(t *testing.T) {
	for _, tc := range []struct {
		name, example, yaml string
		// extra are files the context has besides the example's.
		extra map[string]string
		// step must be in the LLB; err, when set, is the error instead.
		step, err string
	}{{
		name: "lockfiles choose npm", example: "nodejs",
		yaml:  "runtime: nodejs22\nhandler: app.handler\n",
		extra: map[string]string{"pnpm-lock.yaml": "lockfileVersion: '9.0'\n"},
		step:  "npm ci --omit=dev",
	}, {
		name: "pnpm chosen", example: "nodejs",
		yaml:  "runtime: nodejs22\nhandler: app.handler\nbuild:\n  packageManager: pnpm@10.2.0\n",
		extra: map[string]string{"pnpm-lock.yaml": "lockfileVersion: '9.0'\n"},
		step:  "npm install --global pnpm@10.2.0",
	}, {
		name: "pnpm without its lockfile", example: "nodejs",
		yaml: "runtime: nodejs22\nhandler: app.handler\nbuild:\n  packageManager: pnpm\n",
		err:  "build.packageManager is pnpm, and there is no pnpm-lock.yaml in the build context",
	}, {
		name: "pip over uv.lock", example: "python",
		yaml:  "runtime: python3.12\nhandler: app.handler\nbuild:\n  packageManager: pip\n",
		extra: map[string]string{"uv.lock": "not read"},
		step:  "pip install -r requirements.txt",
	}, {
		name: "poetry without its lockfile", example: "python",
		yaml: "runtime: python3.12\nhandler: app.handler\nbuild:\n  packageManager: poetry\n",
		err:  "build.packageManager is poetry, and the build context has no poetry.lock",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			s, opt := exampleWith(t, tc.example, tc.yaml, amd64)
			for name, content := range tc.extra {
				opt.Files[name] = []byte(content)
			}
			if tc.err != "" {
				_, err := llbgen.Generate(context.Background(), s, opt)
				var ce *llbgen.ContextError
				if !errors.As(err, &ce) || ce.Path != "build.packageManager" || !strings.Contains(ce.Msg, tc.err) {
					t.Fatalf("error %v, want one at build.packageManager saying %q", err, tc.err)
				}
				return
			}
			_, g, _ := generate(t, s, opt)
			if g.named(tc.step) < 0 {
				t.Errorf("no step %q:\n%s", tc.step, g)
			}
		})
	}
}
