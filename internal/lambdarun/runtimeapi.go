package lambdarun

import (
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"
)

// Outcome is what the function answered.
type Outcome struct {
	// Response is the body posted to /response, when the function succeeded.
	Response []byte
	// Error is the body posted to /error or /init/error, when it failed.
	Error []byte
}

// runtimeAPI serves one invocation of the Lambda Runtime API
// (2018-06-01) and reports the outcome.
type runtimeAPI struct {
	event    []byte
	once     sync.Once
	outcome  chan Outcome
	listener net.Listener
	server   *http.Server
}

const requestID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"

func startRuntimeAPI(event []byte) (*runtimeAPI, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening for the Runtime API: %w", err)
	}
	api := &runtimeAPI{event: event, outcome: make(chan Outcome, 1), listener: l}
	api.server = &http.Server{Handler: api, ReadHeaderTimeout: 10 * time.Second}
	go api.server.Serve(l) //nolint:errcheck // Serve returns when Close is called
	return api, nil
}

// Addr is the host:port for AWS_LAMBDA_RUNTIME_API.
func (a *runtimeAPI) Addr() string { return a.listener.Addr().String() }

func (a *runtimeAPI) Close() error { return a.server.Close() }

func (a *runtimeAPI) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/2018-06-01/runtime")
	switch {
	case r.Method == http.MethodGet && path == "/invocation/next":
		served := false
		a.once.Do(func() {
			served = true
			h := w.Header()
			h.Set("Lambda-Runtime-Aws-Request-Id", requestID)
			h.Set("Lambda-Runtime-Deadline-Ms", fmt.Sprint(time.Now().Add(time.Minute).UnixMilli()))
			h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:e2e")
			h.Set("Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1")
			h.Set("Content-Type", "application/json")
			w.Write(a.event) //nolint:errcheck // the outcome channel reports a lost client
		})
		if !served {
			// One event per run: later polls wait until the run ends.
			<-r.Context().Done()
		}
	case r.Method == http.MethodPost && path == "/invocation/"+requestID+"/response":
		a.report(w, r, false)
	case r.Method == http.MethodPost && (path == "/invocation/"+requestID+"/error" || path == "/init/error"):
		a.report(w, r, true)
	default:
		http.Error(w, "not part of the Runtime API", http.StatusNotFound)
	}
}

func (a *runtimeAPI) report(w http.ResponseWriter, r *http.Request, failed bool) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		body = []byte(err.Error())
		failed = true
	}
	w.WriteHeader(http.StatusAccepted)
	o := Outcome{Response: body}
	if failed {
		o = Outcome{Error: body}
	}
	select {
	case a.outcome <- o:
	default:
	}
}
