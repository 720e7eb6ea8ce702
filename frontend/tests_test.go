package frontend

import (
	"testing"

	"github.com/moby/buildkit/frontend/gateway/client"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// TestRuns checks which images a builder can test: those of its workers'
// platforms, which include the ones it emulates.
func TestRuns(t *testing.T) {
	amd64 := ocispecs.Platform{OS: "linux", Architecture: "amd64"}
	arm64 := ocispecs.Platform{OS: "linux", Architecture: "arm64"}
	native := []client.WorkerInfo{{Platforms: []ocispecs.Platform{amd64, {OS: "linux", Architecture: "386"}}}}
	emulating := []client.WorkerInfo{{Platforms: []ocispecs.Platform{amd64, arm64}}}
	for _, tc := range []struct {
		name    string
		workers []client.WorkerInfo
		p       ocispecs.Platform
		want    bool
	}{
		{"native", native, amd64, true},
		{"foreign", native, arm64, false},
		{"emulated", emulating, arm64, true},
		{"no workers", nil, amd64, false},
	} {
		if got := runs(tc.workers, tc.p); got != tc.want {
			t.Errorf("%s: runs = %v, want %v", tc.name, got, tc.want)
		}
	}
}
