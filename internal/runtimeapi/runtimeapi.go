package runtimeapi

import (
	"encoding/json"
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
	// ErrorType is the Lambda-Runtime-Function-Error-Type header of a
	// failure, or else the errorType of its body.
	ErrorType string
	// Init says the failure was posted to /init/error: the runtime could
	// not load the handler.
	Init bool
}

// Server serves one invocation and reports its outcome.
type Server struct {
	event    []byte
	deadline time.Time
	once     sync.Once
	outcome  chan Outcome
	listener net.Listener
	server   *http.Server
}

// requestID is the one invocation's request id.
const requestID = "8476a536-e9f4-11e8-9739-2dfe598c3fcd"

// Start listens on an ephemeral loopback port and serves event to the
// first poll for the next invocation, with a deadline timeout from now.
func Start(event []byte, timeout time.Duration) (*Server, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, fmt.Errorf("listening for the Runtime API: %w", err)
	}
	s := &Server{event: event, deadline: time.Now().Add(timeout), outcome: make(chan Outcome, 1), listener: l}
	s.server = &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	go s.server.Serve(l) //nolint:errcheck // Serve returns when Close is called
	return s, nil
}

// Addr is the host:port for AWS_LAMBDA_RUNTIME_API.
func (s *Server) Addr() string { return s.listener.Addr().String() }

// Outcome delivers the function's answer, once.
func (s *Server) Outcome() <-chan Outcome { return s.outcome }

// Close stops serving; polls still waiting return.
func (s *Server) Close() error { return s.server.Close() }

// Env is the environment Lambda gives every function, besides the image's
// own: runtime clients such as Rust's lambda_runtime refuse to start
// without it.
func (s *Server) Env() []string {
	return []string{
		"AWS_LAMBDA_RUNTIME_API=" + s.Addr(),
		"AWS_LAMBDA_FUNCTION_NAME=test", "AWS_LAMBDA_FUNCTION_VERSION=$LATEST", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=128",
		"AWS_LAMBDA_LOG_GROUP_NAME=/aws/lambda/test", "AWS_LAMBDA_LOG_STREAM_NAME=test",
		"AWS_REGION=us-east-1", "AWS_DEFAULT_REGION=us-east-1",
		// Lambda's Node.js runtimes find a layer's packages through it.
		"NODE_PATH=/opt/nodejs/node_modules:/var/runtime/node_modules:/var/runtime:/var/task",
	}
}

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	path := strings.TrimPrefix(r.URL.Path, "/2018-06-01/runtime")
	switch {
	case r.Method == http.MethodGet && path == "/invocation/next":
		served := false
		s.once.Do(func() {
			served = true
			h := w.Header()
			h.Set("Lambda-Runtime-Aws-Request-Id", requestID)
			h.Set("Lambda-Runtime-Deadline-Ms", fmt.Sprint(s.deadline.UnixMilli()))
			h.Set("Lambda-Runtime-Invoked-Function-Arn", "arn:aws:lambda:us-east-1:123456789012:function:test")
			h.Set("Lambda-Runtime-Trace-Id", "Root=1-5bef4de7-ad49b0e87f6ef6c87fc2e700;Parent=9a9197af755a6419;Sampled=1")
			h.Set("Content-Type", "application/json")
			w.Write(s.event) //nolint:errcheck // the outcome channel reports a lost client
		})
		if !served {
			// One event per run: later polls wait until the run ends.
			<-r.Context().Done()
		}
	case r.Method == http.MethodPost && path == "/invocation/"+requestID+"/response":
		s.report(w, r, false, false)
	case r.Method == http.MethodPost && path == "/invocation/"+requestID+"/error":
		s.report(w, r, true, false)
	case r.Method == http.MethodPost && path == "/init/error":
		s.report(w, r, true, true)
	default:
		http.Error(w, "not part of the Runtime API", http.StatusNotFound)
	}
}

func (s *Server) report(w http.ResponseWriter, r *http.Request, failed, init bool) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		body = []byte(err.Error())
		failed = true
	}
	w.WriteHeader(http.StatusAccepted)
	o := Outcome{Response: body}
	if failed {
		o = Outcome{Error: body, ErrorType: r.Header.Get("Lambda-Runtime-Function-Error-Type"), Init: init}
		if o.ErrorType == "" {
			o.ErrorType = ErrorBody(body).Type
		}
	}
	select {
	case s.outcome <- o:
	default:
	}
}

// Error is the body runtime clients post on failure.
type Error struct {
	Type       string   `json:"errorType"`
	Message    string   `json:"errorMessage"`
	StackTrace []string `json:"stackTrace,omitempty"`
}

// ErrorBody reads a failure's body; a body that is not the usual JSON
// becomes the message.
func ErrorBody(body []byte) Error {
	var e Error
	if json.Unmarshal(body, &e) != nil {
		return Error{Message: strings.TrimSpace(string(body))}
	}
	return e
}
