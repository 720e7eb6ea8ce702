package e2e

import (
	"crypto/rand"
	"flag"
	"fmt"
	"os"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/internal/gemsource"
	"github.com/buildkit-lambda/buildkit-lambda/internal/pypi"
)

// pipIndexURL is the loopback package index's URL, credentials included, as
// a user passes a private index: through the pip-index-url build secret.
var pipIndexURL string

// pipPassword is new on every run, so that TestSecretsNeverLeak can look
// for it in everything a build leaves behind.
var pipUser, pipPassword = "e2e", "pw-" + rand.Text()

// pipSecret is the buildx flags that hand the index to a build; TestMain
// puts its URL in PIP_INDEX_URL.
func pipSecret() []string {
	return []string{"--secret", "id=pip-index-url,env=PIP_INDEX_URL"}
}

// gemSourceURL is the loopback gem source's, which the Ruby projects'
// Gemfiles are pointed at (see useGemSource).
var gemSourceURL string

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run()) // every test skips, saying why
	}
	index, err := pypi.Serve("../..", pipUser, pipPassword)
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	pipIndexURL = index.URL
	os.Setenv("PIP_INDEX_URL", pipIndexURL)
	gems, err := gemsource.Serve("../..")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	gemSourceURL = gems.URL
	code := m.Run()
	index.Close()
	gems.Close()
	os.Exit(code)
}
