// Command greeter is an AWS Lambda function in Go, built with buildkit-lambda
// into a bootstrap binary on provided.al2023.
package main

import (
	"context"
	"fmt"
	"os"
	"runtime"

	"github.com/aws/aws-lambda-go/lambda"
)

type event struct {
	Name string `json:"name"`
}

type response struct {
	Message string `json:"message"`
	Arch    string `json:"arch"`
}

func handle(_ context.Context, e event) (response, error) {
	name := e.Name
	if name == "" {
		name = "world"
	}
	greeting := os.Getenv("GREETING")
	if greeting == "" {
		greeting = "Hello"
	}
	return response{Message: fmt.Sprintf("%s, %s!", greeting, name), Arch: runtime.GOARCH}, nil
}

func main() {
	lambda.Start(handle)
}
