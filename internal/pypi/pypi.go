package pypi

import (
	"fmt"
	"net"
	"net/http"
	"os/exec"
	"path/filepath"
	"strings"
)

// Index is a running package index.
type Index struct {
	// URL is the index's URL with its credentials, as pip's --index-url
	// and PIP_INDEX_URL take it.
	URL string
	srv *http.Server
}

// Serve runs hack/pypi-fixture.sh, found under repoRoot, and serves the
// wheels it prints the directory of until Close.
func Serve(repoRoot, user, password string) (*Index, error) {
	out, err := exec.Command(filepath.Join(repoRoot, "hack", "pypi-fixture.sh")).Output()
	if err != nil {
		return nil, fmt.Errorf("running hack/pypi-fixture.sh: %w", err)
	}
	dir := strings.TrimSpace(string(out))
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening for the package index: %w", err)
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
		if u, p, ok := r.BasicAuth(); !ok || u != user || p != password {
			w.Header().Set("WWW-Authenticate", `Basic realm="pypi"`)
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		mux.ServeHTTP(w, r)
	})
	ix := &Index{
		URL: fmt.Sprintf("http://%s:%s@%s/simple/", user, password, l.Addr()),
		srv: &http.Server{Handler: auth},
	}
	go ix.srv.Serve(l) //nolint:errcheck // returns when closed
	return ix, nil
}

// Close stops serving.
func (ix *Index) Close() error {
	return ix.srv.Close()
}
