package lambdarun

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/internal/runtimeapi"
	v1 "github.com/google/go-containerregistry/pkg/v1"
)

// User is the uid and gid the function runs as: Lambda runs functions as
// an unprivileged user, so every file must be readable by others.
const (
	uid = 993
	gid = 990
)

// Invoke runs image with one event and returns what the function answered,
// with everything the container printed. It needs root and runc.
func Invoke(ctx context.Context, image v1.Image, event []byte, timeout time.Duration) (runtimeapi.Outcome, string, error) {
	cfg, err := image.ConfigFile()
	if err != nil {
		return runtimeapi.Outcome{}, "", fmt.Errorf("reading image config: %w", err)
	}
	bundle, err := os.MkdirTemp("", "lambdarun-")
	if err != nil {
		return runtimeapi.Outcome{}, "", err
	}
	defer os.RemoveAll(bundle)
	if err := unpack(image, filepath.Join(bundle, "rootfs")); err != nil {
		return runtimeapi.Outcome{}, "", err
	}

	api, err := runtimeapi.Start(event, timeout)
	if err != nil {
		return runtimeapi.Outcome{}, "", err
	}
	defer api.Close()

	args := slices.Concat(cfg.Config.Entrypoint, cfg.Config.Cmd)
	env := append(slices.Clone(cfg.Config.Env), api.Env()...)
	if err := writeRuntimeSpec(ctx, bundle, args, env, cfg.Config.WorkingDir); err != nil {
		return runtimeapi.Outcome{}, "", err
	}

	id := filepath.Base(bundle)
	var output bytes.Buffer
	run := exec.Command("runc", "run", "--bundle", bundle, id)
	run.Stdout, run.Stderr = &output, &output
	if err := run.Start(); err != nil {
		return runtimeapi.Outcome{}, "", fmt.Errorf("starting runc: %w", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- run.Wait() }()
	defer func() {
		exec.Command("runc", "kill", id, "KILL").Run()      //nolint:errcheck // the container may be gone already
		<-exited                                            // reap before deleting
		exec.Command("runc", "delete", "--force", id).Run() //nolint:errcheck // best-effort cleanup
	}()

	select {
	case o := <-api.Outcome():
		return o, output.String(), nil
	case err := <-exited:
		exited <- err
		return runtimeapi.Outcome{}, output.String(), fmt.Errorf("the function exited before answering (%v)", err)
	case <-time.After(timeout):
		return runtimeapi.Outcome{}, output.String(), fmt.Errorf("no answer within %s", timeout)
	case <-ctx.Done():
		return runtimeapi.Outcome{}, output.String(), ctx.Err()
	}
}

// writeRuntimeSpec writes the OCI runtime config: runc's default, with the
// host network (for the loopback Runtime API), a read-only root and a
// writable /tmp as on Lambda, and the unprivileged user.
func writeRuntimeSpec(ctx context.Context, bundle string, args, env []string, cwd string) error {
	if err := exec.CommandContext(ctx, "runc", "spec", "--bundle", bundle).Run(); err != nil {
		return fmt.Errorf("runc spec: %w", err)
	}
	path := filepath.Join(bundle, "config.json")
	dt, err := os.ReadFile(path)
	if err != nil {
		return err
	}
	var spec map[string]any
	if err := json.Unmarshal(dt, &spec); err != nil {
		return fmt.Errorf("reading %s: %w", path, err)
	}
	if cwd == "" {
		cwd = "/"
	}
	process := spec["process"].(map[string]any)
	process["terminal"] = false
	process["args"] = args
	process["env"] = env
	process["cwd"] = cwd
	process["user"] = map[string]any{"uid": uid, "gid": gid}
	spec["root"] = map[string]any{"path": "rootfs", "readonly": true}
	spec["mounts"] = append(spec["mounts"].([]any), map[string]any{
		"destination": "/tmp", "type": "tmpfs", "source": "tmpfs", "options": []string{"nosuid", "nodev", "mode=1777"},
	})
	linux := spec["linux"].(map[string]any)
	var namespaces []any
	for _, ns := range linux["namespaces"].([]any) {
		if ns.(map[string]any)["type"] != "network" {
			namespaces = append(namespaces, ns)
		}
	}
	linux["namespaces"] = namespaces
	out, err := json.MarshalIndent(spec, "", "  ")
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}
