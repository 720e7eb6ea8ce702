package e2e

import (
	"crypto/rand"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// pipIndexURL is the loopback package index's URL, credentials included, as
// a user passes a private index: through the pip-index-url build secret.
var pipIndexURL string

// pipPassword is new on every run, so that TestSecretsNeverLeak can look
// for it in everything a build leaves behind.
var pipUser, pipPassword = "e2e", "pw-" + rand.Text()

// servePipIndex serves the wheels of hack/pypi-fixture.sh as a PEP 503
// simple index behind basic auth, for as long as the tests run.
func servePipIndex() (func(), error) {
	out, err := exec.Command("../../hack/pypi-fixture.sh").Output()
	if err != nil {
		return nil, fmt.Errorf("hack/pypi-fixture.sh: %w", err)
	}
	dir := strings.TrimSpace(string(out))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.HandleFunc("/simple/{project}/", func(w http.ResponseWriter, r *http.Request) {
		wheels, _ := filepath.Glob(filepath.Join(dir, strings.ReplaceAll(r.PathValue("project"), "-", "_")+"-*.whl"))
		if len(wheels) == 0 {
			http.NotFound(w, r)
			return
		}
		fmt.Fprint(w, "<!DOCTYPE html><html><body>\n")
		for _, whl := range wheels {
			fmt.Fprintf(w, "<a href=\"/files/%s\">%[1]s</a>\n", filepath.Base(whl))
		}
		fmt.Fprint(w, "</body></html>\n")
	})
	files := http.StripPrefix("/files/", http.FileServer(http.Dir(dir)))
	mux.HandleFunc("/files/", func(w http.ResponseWriter, r *http.Request) {
		// Cacheable like PyPI's files, so pip's cache can serve them again.
		w.Header().Set("Cache-Control", "max-age=365000000, immutable, public")
		files.ServeHTTP(w, r)
	})
	auth := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if u, p, ok := r.BasicAuth(); !ok || u != pipUser || p != pipPassword {
			w.Header().Set("WWW-Authenticate", `Basic realm="e2e"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		mux.ServeHTTP(w, r)
	})
	srv := &http.Server{Handler: auth}
	go srv.Serve(l) //nolint:errcheck // returns when closed
	pipIndexURL = fmt.Sprintf("http://%s:%s@%s/simple/", pipUser, pipPassword, l.Addr())
	return func() { srv.Close() }, nil
}

// pipSecret is the buildx flags that hand the index to a build; TestMain
// puts its URL in PIP_INDEX_URL.
func pipSecret() []string {
	return []string{"--secret", "id=pip-index-url,env=PIP_INDEX_URL"}
}

func TestMain(m *testing.M) {
	flag.Parse()
	if testing.Short() {
		os.Exit(m.Run()) // every test skips, saying why
	}
	stop, err := servePipIndex()
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		os.Exit(1)
	}
	os.Setenv("PIP_INDEX_URL", pipIndexURL)
	code := m.Run()
	stop()
	os.Exit(code)
}
