// Command registry is the loopback registry of the tests and the
// benchmark: go-containerregistry's in-memory registry, which reads the
// body of each blob upload in full before handing it on.
//
//	registry -port 5000
//
// The in-memory registry holds one lock across all repositories while it
// reads an upload's body. BuildKit streams a blob's body as it produces
// it, and when builds run at once (docker buildx bake, each target
// exporting its cache) one upload's body can wait on another upload, which
// waits on that lock: the export hung at "writing layer" until the client
// gave up. Read first, the lock is held for a copy in memory alone.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/google/go-containerregistry/pkg/registry"
)

func main() {
	port := flag.Int("port", 5000, "the port to serve on, on localhost")
	flag.Parse()
	listener, err := net.Listen("tcp", fmt.Sprintf("localhost:%d", *port))
	if err != nil {
		log.Fatal(err)
	}
	log.Printf("serving on port %d", listener.Addr().(*net.TCPAddr).Port)
	s := &http.Server{
		ReadHeaderTimeout: 5 * time.Second,
		Handler:           readUploadsFirst(registry.New()),
	}
	log.Fatal(s.Serve(listener))
}

// readUploadsFirst reads the body of a blob upload (PATCH or PUT to
// /v2/<name>/blobs/uploads/<id>) before next sees the request.
func readUploadsFirst(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if (r.Method == http.MethodPatch || r.Method == http.MethodPut) && strings.Contains(r.URL.Path, "/blobs/uploads/") {
			body, err := io.ReadAll(r.Body)
			r.Body.Close()
			if err != nil {
				log.Printf("%s %s: reading the upload: %v", r.Method, r.URL, err)
				http.Error(w, "reading the upload: "+err.Error(), http.StatusBadRequest)
				return
			}
			r.Body = io.NopCloser(bytes.NewReader(body))
		}
		next.ServeHTTP(w, r)
	})
}
