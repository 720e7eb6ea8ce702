package e2e

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"crypto/rand"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestSecretsNeverLeak builds with secrets of random values, each of which
// the build must use to succeed, and then looks for them in everything the
// build leaves behind: every layer, the image config, the LLB definition
// (which max-mode provenance records) and the build history record.
func TestSecretsNeverLeak(t *testing.T) {
	requireEnv(t)
	npmToken := "npm-" + rand.Text()
	npmrc := filepath.Join(t.TempDir(), "npmrc")
	writeFile(t, npmrc, "@private:registry=http://npm.invalid/\n//npm.invalid/:_authToken="+npmToken+"\n")

	node := copyDir(t, examplePath("nodejs"))
	// Fails the build unless the secret file is mounted, without printing it.
	replaceInFile(t, filepath.Join(node, "lambda.yaml"), "    - npm run build\n",
		"    - grep -q _authToken= /root/.npmrc\n    - npm run build\n")

	leak := "leak-" + rand.Text()
	for _, tc := range []struct {
		name, dir, secret string
		flags             []string
		// leaks marks the control case: a value passed as a build arg is
		// recorded, and the scan must find it.
		leaks bool
	}{
		// The package index needs the password, and PyPI is out of reach.
		{"python", examplePath("python"), pipPassword, pipSecret(), false},
		{"nodejs", node, npmToken, []string{"--secret", "id=npmrc,src=" + npmrc}, false},
		{"control: a build arg is found", examplePath("python"), leak, append(pipSecret(), "--build-arg", "LEAK="+leak), true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			oci := filepath.Join(t.TempDir(), "image.tar")
			out, err := buildYAML(t, tc.dir, append([]string{"--platform", "linux/amd64", "--no-cache",
				"--provenance=mode=max", "-o", "type=oci,dest=" + oci}, tc.flags...)...)
			if err != nil {
				t.Fatalf("build: %v\n%s", err, out)
			}
			if strings.Contains(out, tc.secret) && !tc.leaks {
				t.Errorf("the build output shows the secret")
			}
			scanned, err := scanTar(oci, tc.secret)
			if tc.leaks {
				if err == nil {
					t.Fatalf("the scan missed a value recorded in the provenance; it read %s", scanned)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(scanned, "provenance") {
				t.Errorf("no provenance among %s; the LLB definition went unchecked", scanned)
			}
			record := filepath.Join(t.TempDir(), "build.dockerbuild")
			if out, err := exec.Command("docker", "buildx", "history", "export", "--builder", env.builder, "--finalize", "-o", record).CombinedOutput(); err != nil {
				t.Fatalf("exporting the build record: %v\n%s", err, out)
			}
			if _, err := scanTar(record, tc.secret); err != nil {
				t.Errorf("build history: %v", err)
			}
		})
	}
}

// scanTar looks for secret in every file of a tar archive (gzip-compressed
// or not), and inside the gzip-compressed files, and lists what it read. It
// fails on a match.
func scanTar(path, secret string) (string, error) {
	dt, err := os.ReadFile(path)
	if err != nil {
		return "", err
	}
	var archive io.Reader = bytes.NewReader(dt)
	if zr, err := gzip.NewReader(bytes.NewReader(dt)); err == nil {
		archive = zr
	}
	var read []string
	tr := tar.NewReader(archive)
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return "", fmt.Errorf("reading %s: %w", path, err)
		}
		dt, err := io.ReadAll(tr)
		if err != nil {
			return "", err
		}
		if bytes.Contains(dt, []byte(secret)) {
			return "", fmt.Errorf("%s in %s holds the secret", h.Name, filepath.Base(path))
		}
		if zr, err := gzip.NewReader(bytes.NewReader(dt)); err == nil {
			plain, err := io.ReadAll(zr)
			if err != nil {
				return "", fmt.Errorf("decompressing %s: %w", h.Name, err)
			}
			if bytes.Contains(plain, []byte(secret)) {
				return "", fmt.Errorf("%s (decompressed) in %s holds the secret", h.Name, filepath.Base(path))
			}
			if bytes.Contains(plain, []byte("predicateType")) {
				read = append(read, "provenance")
			}
		}
		if bytes.Contains(dt, []byte("predicateType")) {
			read = append(read, "provenance")
		}
		read = append(read, h.Name)
	}
	return strings.Join(read, " "), nil
}
