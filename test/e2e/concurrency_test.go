package e2e

import (
	"fmt"
	"sync"
	"testing"
	"time"
)

// TestConcurrentBuildsMatchSerialOnes builds the examples one after the
// other on an empty buildkitd, then eight at once on another empty one,
// where they share the cache mounts: the three examples, some twice, for
// both architectures. With SOURCE_DATE_EPOCH every concurrent build must
// succeed with the digest of its serial twin.
func TestConcurrentBuildsMatchSerialOnes(t *testing.T) {
	requireEnv(t)
	frontend(t)
	type job struct{ example, platform string }
	jobs := []job{
		{"nodejs", "linux/amd64"}, {"nodejs", "linux/arm64"}, {"python", "linux/amd64"},
		{"python", "linux/arm64"}, {"go", "linux/arm64"}, {"go", "linux/amd64"},
		{"nodejs", "linux/amd64"}, {"python", "linux/amd64"}, // twice at once
	}
	flags := func(j job) []string {
		f := []string{"--platform", j.platform}
		if j.example == "python" {
			f = append(f, pipSecret()...)
		}
		return f
	}
	id := fmt.Sprintf("%d", time.Now().UnixNano()%1e6)
	ref := func(run string, i int, j job) string {
		return fmt.Sprintf("%s/e2e/concurrent-%s-%d:%s", env.registry, j.example, i, run)
	}

	serialBuilder := freshBuilder(t, "bkl-serial"+id)
	serial := map[job]string{}
	for i, j := range jobs[:6] {
		serial[j], _ = buildOn(t, serialBuilder, examplePath(j.example), ref("serial", i, j), flags(j)...)
	}

	concurrentBuilder := freshBuilder(t, "bkl-concurrent"+id)
	var wg sync.WaitGroup
	got, outs, errs := make([]string, len(jobs)), make([]string, len(jobs)), make([]error, len(jobs))
	for i, j := range jobs {
		wg.Go(func() {
			got[i], outs[i], errs[i] = buildPushed(concurrentBuilder, examplePath(j.example), ref("concurrent", i, j), flags(j)...)
		})
	}
	wg.Wait()
	for i, j := range jobs {
		if errs[i] != nil {
			t.Errorf("%s %s: %v\n%s", j.example, j.platform, errs[i], outs[i])
		} else if got[i] != serial[j] {
			t.Errorf("%s %s: %s built concurrently, %s serially", j.example, j.platform, got[i], serial[j])
		}
	}
}
