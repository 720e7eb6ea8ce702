package e2e

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSmokeTests builds testdata/smoke-test, whose function greets or fails
// as its event asks, with lambda.yaml's tests: passing ones, each kind of
// failure, an image for a foreign architecture, and the target that skips
// them.
func TestSmokeTests(t *testing.T) {
	requireEnv(t)
	dir := filepath.Join("testdata", "smoke-test")
	for _, tc := range []struct {
		name, file string
		args       []string
		// fails says the build must fail; want and absent are what its
		// output must and must not hold.
		fails        bool
		want, absent []string
	}{{
		// --no-cache: a test's output shows only when its step runs, and a
		// second run of the suite on the same builder finds it cached.
		name: "passing", file: "lambda.yaml", args: []string{"--platform", "linux/amd64", "--no-cache"},
		want: []string{
			`test greets: invoking [/lambda-entrypoint.sh app.handler] with {"name":"Ada"}`, "test greets passed",
			"test rejects passed", "test test[2] passed"},
	}, {
		name: "failing", file: "failing.yaml", args: []string{"--platform", "linux/amd64", "--no-cache"}, fails: true,
		want: []string{
			"test greets passed",
			`test wrong greeting failed: .body.greeting is "Hello, Ada!", not "Hello, Grace!"; the function answered {"statusCode":200,"body":{"greeting":"Hello, Ada!","tags":["a","b"]}}`,
			"test throws failed: the function failed: TypeError: asked to fail: on purpose",
			"test too slow failed: the function failed: Sandbox.Timedout: Task timed out after 3s",
			// The function's own logs.
			`event {"fail":"on purpose"}`,
			// Each failed test at its line of the file.
			"failing.yaml:6:5: test[1]: test wrong greeting failed", ">>>   - name: wrong greeting",
			"failing.yaml:10:5: test[2]: test throws failed", "failing.yaml:12:5: test[3]: test too slow failed"},
		absent: []string{"test[0]: test greets failed"},
	}, {
		// No emulator on these machines (TestNoArm64Emulator): the tests are
		// skipped, and say so.
		name: "foreign architecture", file: "failing.yaml", args: []string{"--platform", "linux/arm64"},
		want:   []string{"the tests of failing.yaml did not run: the image is for linux/arm64, which this builder neither runs nor emulates"},
		absent: []string{"test greets"},
	}, {
		name: "untested target", file: "failing.yaml", args: []string{"--platform", "linux/amd64", "--target", "image-untested"},
		absent: []string{"test greets", "did not run"},
	}} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			out, err := buildFile(t, dir, tc.file, append([]string{"--progress", "plain"}, tc.args...)...)
			if (err != nil) != tc.fails {
				t.Fatalf("build error %v, want failure %v:\n%s", err, tc.fails, out)
			}
			for _, w := range tc.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			for _, a := range tc.absent {
				if strings.Contains(out, a) {
					t.Errorf("output has %q:\n%s", a, out)
				}
			}
			if strings.Contains(out, "goroutine ") || strings.Contains(out, "panic:") {
				t.Errorf("output has a Go stack trace:\n%s", out)
			}
		})
	}
}

// TestNoArm64Emulator checks what every arm64 build here proves: no
// binfmt_misc handler runs aarch64 binaries, so no step could have been
// emulated, and the builder does not claim to run arm64. buildkitd adds
// every platform it once found an emulator for to its worker and never
// drops it; with arm64 there, the frontend would run arm64 tests that no
// emulator can run (hack/qemu.sh restarts buildkitd when it unregisters).
func TestNoArm64Emulator(t *testing.T) {
	requireEnv(t)
	out, err := exec.Command("docker", "buildx", "inspect", env.builder).CombinedOutput()
	if err != nil {
		t.Fatalf("docker buildx inspect %s: %v\n%s", env.builder, err, out)
	}
	for line := range strings.Lines(string(out)) {
		if strings.HasPrefix(line, "Platforms:") && strings.Contains(line, "linux/arm64") {
			t.Errorf("builder %s claims to run arm64, as after an emulator was registered; restart it (hack/qemu.sh unregister does):\n%s", env.builder, line)
		}
	}
	entries, err := os.ReadDir("/proc/sys/fs/binfmt_misc")
	if os.IsNotExist(err) {
		return // no binfmt_misc at all: nothing can be emulated
	}
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		dt, err := os.ReadFile(filepath.Join("/proc/sys/fs/binfmt_misc", e.Name()))
		if err != nil {
			continue // register and status are not handlers
		}
		if enabled := strings.HasPrefix(string(dt), "enabled"); enabled && (strings.Contains(e.Name(), "aarch64") || strings.Contains(string(dt), "aarch64")) {
			t.Errorf("binfmt_misc handler %s runs aarch64 binaries:\n%s", e.Name(), dt)
		}
	}
}
