// Command frontend is the buildkit-lambda BuildKit frontend. Run without
// arguments, as BuildKit does, it serves a gateway build; its subcommands
// print the lambda.yaml JSON Schema, the LLB of a lambda.yaml, or the version,
// run the preflight checks and smoke tests the build runs on an image, and
// write and unpack .zip packages.
package main

import (
	"fmt"
	"os"

	"github.com/buildkit-lambda/buildkit-lambda/frontend"
	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/moby/buildkit/frontend/gateway/grpcclient"
	"github.com/moby/buildkit/util/appcontext"
)

const usage = `usage:
  frontend                      serve a build as a BuildKit gateway frontend
  frontend llb [-f lambda.yaml] [--platform P] [CONTEXT]
                                print the LLB definition of a lambda.yaml
  frontend preflight --runtime R --handler H --arch A [--library-path P] [--base-size FILE]
                     [--base-modules FILE] [--base-libraries FILE] [--stand-in DIR]... LAYER...
                                check a built image's files, given as its
                                layers' directories, lowest first (a build step)
  frontend preflight-base [--library-path P] ROOT OUT
                                write a stand-in of what the checks read of a
                                base image in OUT/layer (for --stand-in), the
                                size of the rest in OUT/bytes
                                for --base-size, its library modules in
                                OUT/modules for --base-modules and the shared
                                libraries its loader finds in OUT/libraries
                                for --base-libraries (a build step)
  frontend preflight-deps --runtime R --handler H --arch A LAYER OUT
                                check a dependency layer, and write to OUT
                                the stand-in of it that the checks of the
                                code read, for --stand-in (a build step)
  frontend zip --out FILE [--epoch SECONDS] SOURCE=NAME...
                                write a reproducible .zip deployment package
                                or layer of files and directories, each at
                                NAME in it (a build step)
  frontend unzip --into DIR FILE
                                unpack a .zip, as Lambda unpacks a layer
                                (a build step)
  frontend smoke-test FILE      invoke the image this runs in with the test
                                in FILE, serving the Runtime API, and check
                                the answer (a build step)
  frontend schema               print the JSON Schema of lambda.yaml
  frontend version              print the version
`

func main() {
	var err error
	switch cmd := firstArg(); cmd {
	case "":
		err = grpcclient.RunFromEnvironment(appcontext.Context(), frontend.Build)
	case "llb":
		err = printLLB(os.Stdout, os.Stderr, os.Args[2:])
	case "preflight":
		err = runPreflight(os.Stderr, os.Args[2:])
	case "preflight-base":
		err = runPreflightBase(os.Args[2:])
	case "preflight-deps":
		err = runPreflightDeps(os.Stderr, os.Args[2:])
	case "zip":
		err = runZip(os.Stderr, os.Args[2:])
	case "unzip":
		err = runUnzip(os.Stderr, os.Args[2:])
	case "smoke-test":
		err = runSmokeTest(os.Stdout, os.Args[2:])
	case "schema":
		_, err = os.Stdout.Write(lambdafile.Schema)
	case "version":
		fmt.Println(frontend.Version)
	case "help", "-h", "--help":
		fmt.Print(usage)
	default:
		fmt.Fprintf(os.Stderr, "frontend: unknown command %q\n%s", cmd, usage)
		os.Exit(2)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
}

func firstArg() string {
	if len(os.Args) < 2 {
		return ""
	}
	return os.Args[1]
}
