package e2e

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestBake builds the three examples with the repository's docker-bake.hcl,
// as the README shows, and checks each pushed image.
func TestBake(t *testing.T) {
	requireEnv(t)
	registry := env.registry + "/e2e-bake"
	cmd := exec.Command("docker", "buildx", "bake", "--builder", env.builder, "--push")
	cmd.Dir = "../.."
	cmd.Env = append(os.Environ(), "FRONTEND="+frontend(t), "REGISTRY="+registry)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("docker buildx bake: %v\n%s", err, out)
	}
	for example, arch := range map[string]string{"nodejs": "amd64", "python": "amd64", "go": "arm64"} {
		img, desc := image(t, registry+"/greeter-"+example+":latest")
		if desc.MediaType.IsIndex() {
			t.Errorf("%s: pushed an index, which Lambda refuses", example)
		}
		cfg, err := img.ConfigFile()
		if err != nil {
			t.Fatal(err)
		}
		if cfg.Architecture != arch || cfg.Config.Labels["com.github.buildkit-lambda.runtime"] == "" {
			t.Errorf("%s: architecture %s, labels %v", example, cfg.Architecture, cfg.Config.Labels)
		}
	}
}

// TestBakeWorkspaceRegistryCache: a CI runner's fresh builder bakes the
// services of an npm workspace at once, each importing its own registry
// cache, after one service's code changed. Every service's install comes
// from its cache; only the changed code is copied again. Builds of one
// monorepo that shared a step reading the build context re-ran every
// install here (see llbgen's copyWorkspaceManifests).
func TestBakeWorkspaceRegistryCache(t *testing.T) {
	requireEnv(t)
	dir := copyDir(t, filepath.Join("testdata", "monorepo"))
	id := fmt.Sprintf("%d", time.Now().UnixNano()%1e6)
	services := []string{"orders", "users"}
	var hcl strings.Builder
	for _, svc := range services {
		cache := fmt.Sprintf("%s/e2e/bake-cache-%s:%s", env.registry, svc, id)
		fmt.Fprintf(&hcl, `target %q {
  context    = "."
  dockerfile = "services/%s/lambda.yaml"
  platforms  = ["linux/amd64"]
  args       = { BUILDKIT_SYNTAX = %q }
  attest     = ["type=provenance,disabled=true", "type=sbom,disabled=true"]
  tags       = ["%s/e2e/bake-%s:%s"]
  cache-to   = ["type=registry,ref=%s,mode=max"]
  cache-from = ["type=registry,ref=%s"]
}
`, svc, svc, frontend(t), env.registry, svc, id, cache, cache)
	}
	fmt.Fprintf(&hcl, "group \"default\" {\n  targets = [\"%s\"]\n}\n", strings.Join(services, `", "`))
	writeFile(t, filepath.Join(dir, "docker-bake.hcl"), hcl.String())
	bake := func(builder string) progress {
		t.Helper()
		cmd := exec.Command("docker", "buildx", "bake", "--builder", builder, "--push", "--progress", "rawjson")
		cmd.Dir = dir
		out, err := cmd.CombinedOutput()
		if err != nil {
			t.Fatalf("docker buildx bake on %s: %v\n%s", builder, err, out)
		}
		return parseProgress(t, string(out))
	}
	bake(freshBuilder(t, "bkl-bake-a"+id))
	appendFile(t, filepath.Join(dir, "services", "orders", "index.js"), "// changed "+id+"\n")
	p := bake(freshBuilder(t, "bkl-bake-b"+id))
	for _, svc := range services {
		install := fmt.Sprintf("[%s nodejs22] npm ci --omit=dev --workspace=services/%s", svc, svc)
		if !p.step(t, install) || p.ran[install] {
			t.Errorf("%s ran on a fresh builder that imported its cache", install)
		}
	}
	if code := "[orders nodejs22] copy services/orders to /var/task"; p.step(t, code) {
		t.Errorf("%s was cached although the code changed", code)
	}
}
