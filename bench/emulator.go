package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// qemu runs hack/qemu.sh: register before the emulated baseline, and
// unregister after it, so that no other build can use the emulator.
func qemu(repo, action string) error {
	cmd := exec.Command(filepath.Join(repo, "hack", "qemu.sh"), action)
	cmd.Stderr = os.Stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("hack/qemu.sh %s: %w", action, err)
	}
	return nil
}

// noEmulator fails when binfmt_misc runs arm64 binaries, which would let a
// build that claims to need no emulator use one unseen.
func noEmulator() error {
	const dir = "/proc/sys/fs/binfmt_misc"
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		dt, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err == nil && strings.HasPrefix(string(dt), "enabled") && strings.Contains(e.Name()+string(dt), "aarch64") {
			return fmt.Errorf("binfmt_misc handler %s runs arm64 binaries; run hack/qemu.sh unregister", e.Name())
		}
	}
	return nil
}

// qemuVersion is the version of Debian's qemu-user-static, when installed.
func qemuVersion() string {
	out, err := exec.Command("dpkg-query", "-W", "-f", "${Version}", "qemu-user-static").Output()
	if err != nil {
		return "not installed"
	}
	return strings.TrimSpace(string(out))
}
