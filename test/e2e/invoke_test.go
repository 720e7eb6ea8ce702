package e2e

import (
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/internal/lambdarun"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// TestInvoke runs each amd64 example image through its own entrypoint and
// CMD against a Runtime API served by the test, as an unprivileged user on a
// read-only root, and checks the function's answer.
func TestInvoke(t *testing.T) {
	requireEnv(t)
	for _, tc := range []struct {
		example string
		event   string
		want    map[string]any
	}{
		{"nodejs", `{"name":"Ada","uptimeMs":7200000}`, map[string]any{"message": "Hello, Ada!", "uptime": "2 hours"}},
		{"python", `{"name":"Ada","bytes":3000000}`, map[string]any{"message": "Hello, Ada!", "size": "3.0 MB"}},
		{"go", `{"name":"Ada"}`, map[string]any{"message": "Hello, Ada!", "arch": "amd64"}},
		{"rust", `{"name":"Ada"}`, map[string]any{"message": "Hello, Ada!", "arch": "x86_64"}},
		{"custom", `{"name":"Ada"}`, map[string]any{"message": "Hello, Ada!", "shell": "sh"}},
		{"java", `{"name":"ada lovelace"}`, map[string]any{"message": "Hello, Ada Lovelace!"}},
		{"ruby", `{"name":"Ada"}`, map[string]any{"message": "Hello, Ada!", "locale": "en"}},
	} {
		t.Run(tc.example, func(t *testing.T) {
			ref := fmt.Sprintf("%s/e2e/%s:invoke", env.registry, tc.example)
			dir, extra := exampleContext(t, tc.example)
			buildExample(t, dir, ref, "linux/amd64", extra...)
			img, _ := image(t, ref)
			invokeAndCheck(t, img, tc.event, tc.want)
		})
	}
}

// invokeAndCheck invokes an amd64 image with one event, as Lambda does,
// and checks the answer holds want.
func invokeAndCheck(t *testing.T, img v1.Image, event string, want map[string]any) {
	t.Helper()
	outcome, logs, err := lambdarun.Invoke(context.Background(), img, []byte(event), 2*time.Minute)
	if err != nil {
		t.Fatalf("invoking: %v\ncontainer output:\n%s", err, logs)
	}
	if outcome.Error != nil {
		t.Fatalf("the function failed: %s\ncontainer output:\n%s", outcome.Error, logs)
	}
	var got map[string]any
	if err := json.Unmarshal(outcome.Response, &got); err != nil {
		t.Fatalf("response %q is not JSON: %v", outcome.Response, err)
	}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("response %s = %v, want %v (whole response %s)", k, got[k], v, outcome.Response)
		}
	}
}
