package main

import (
	"bytes"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"
)

// findBuildkitd reads the builder's buildkitd pid from its pid file.
func (env *environment) findBuildkitd(pidFile string) error {
	dt, err := os.ReadFile(pidFile)
	if err != nil {
		return fmt.Errorf("reading buildkitd's pid: %w", err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(dt)))
	if err != nil {
		return fmt.Errorf("reading buildkitd's pid from %s: %w", pidFile, err)
	}
	if _, err := residentBytes(pid); err != nil {
		return fmt.Errorf("buildkitd %d: %w", pid, err)
	}
	env.buildkitd = pid
	return nil
}

// sampleRSS samples pid's resident memory every 50 ms until the function
// it returns is called, which returns the peak. The kernel's own peak,
// VmHWM, covers the process's whole life, not one build.
func sampleRSS(pid int) func() int64 {
	stop := make(chan struct{})
	done := make(chan int64)
	go func() {
		var peak int64
		t := time.NewTicker(50 * time.Millisecond)
		defer t.Stop()
		for {
			if n, err := residentBytes(pid); err == nil {
				peak = max(peak, n)
			}
			select {
			case <-stop:
				done <- peak
				return
			case <-t.C:
			}
		}
	}()
	return func() int64 {
		close(stop)
		return <-done
	}
}

// residentBytes is VmRSS of /proc/PID/status.
func residentBytes(pid int) (int64, error) {
	dt, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, err
	}
	for line := range bytes.Lines(dt) {
		if v, ok := bytes.CutPrefix(line, []byte("VmRSS:")); ok {
			var kb int64
			if _, err := fmt.Sscanf(string(v), "%d", &kb); err != nil {
				return 0, fmt.Errorf("reading VmRSS: %w", err)
			}
			return kb << 10, nil
		}
	}
	return 0, fmt.Errorf("no VmRSS in /proc/%d/status", pid)
}
