package e2e

import (
	"os"
	"os/exec"
	"testing"
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
