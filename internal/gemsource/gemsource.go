package gemsource

import (
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
)

// Source is a running gem source.
type Source struct {
	// URL is the source's URL, as a Gemfile's source line names it, with
	// its trailing slash, as Gemfile.lock records it.
	URL string
	srv *http.Server
}

// Serve runs hack/gem-fixture.sh, found under repoRoot, and serves the
// directory it prints until Close: versions, info/NAME and gems/FILE.gem.
func Serve(repoRoot string) (*Source, error) {
	out, err := exec.Command(filepath.Join(repoRoot, "hack", "gem-fixture.sh")).Output()
	if err != nil {
		return nil, fmt.Errorf("running hack/gem-fixture.sh: %w", err)
	}
	dir := strings.TrimSpace(string(out))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening for the gem source: %w", err)
	}
	s := &Source{URL: fmt.Sprintf("http://%s/", l.Addr()), srv: &http.Server{Handler: http.FileServer(http.Dir(dir))}}
	go s.srv.Serve(l) //nolint:errcheck // returns when closed
	return s, nil
}

// Close stops serving.
func (s *Source) Close() error {
	return s.srv.Close()
}
