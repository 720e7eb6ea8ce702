// Command invoke runs a Lambda image from a registry once, the way Lambda
// does (see internal/lambdarun), and prints the function's response.
//
//	go run ./internal/cmd/invoke IMAGE [EVENT-JSON]
package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/internal/lambdarun"
	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "invoke:", err)
		os.Exit(1)
	}
}

func run() error {
	if len(os.Args) < 2 || len(os.Args) > 3 {
		return fmt.Errorf("usage: invoke IMAGE [EVENT-JSON]")
	}
	event := "{}"
	if len(os.Args) == 3 {
		event = os.Args[2]
	}
	ref, err := name.ParseReference(os.Args[1], name.Insecure)
	if err != nil {
		return err
	}
	img, err := remote.Image(ref)
	if err != nil {
		return fmt.Errorf("reading %s: %w", ref, err)
	}
	outcome, logs, err := lambdarun.Invoke(context.Background(), img, []byte(event), 2*time.Minute)
	if logs != "" {
		fmt.Fprint(os.Stderr, logs)
	}
	if err != nil {
		return err
	}
	if outcome.Error != nil {
		return fmt.Errorf("the function failed: %s", outcome.Error)
	}
	fmt.Printf("response: %s\n", outcome.Response)
	return nil
}
