package llbgen

import (
	"encoding/json"
	"fmt"
	"path"
	"slices"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/buildkit-lambda/buildkit-lambda/smoketest"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
)

// Test is one of lambda.yaml's tests as a build step on the image.
type Test struct {
	// Name is the test's name, and Path its place in lambda.yaml, like
	// test[0].
	Name, Path string
	// State runs the test; solving it fails when the function does not
	// answer as the test expects.
	State llb.State
}

// testDir is where a test step mounts the frontend's binary and the test.
const testDir = "/.buildkit-lambda"

// The non-root user a test runs the function as; Lambda runs functions as
// an unprivileged user too, so a file only root can read fails here as it
// would there.
const testUser = "993:990"

// smokeTests makes a step per test that runs the image's entrypoint on the
// image itself, with the frontend's own binary serving the Runtime API on
// loopback (package smoketest). The root is read-only and /tmp an empty
// tmpfs, as on Lambda. Each test runs on its own, in parallel with the
// others, and its step points at its lines of lambda.yaml.
func (g *gen) smokeTests(img llb.State, cfg dockerspec.DockerOCIImage) ([]Test, error) {
	if g.opt.Preflight == nil || len(g.s.Test) == 0 {
		return nil, nil
	}
	// The binary runs inside the image, on the image's platform.
	tool := g.opt.Preflight.Platform(g.target)
	var tests []Test
	for i, t := range g.s.Test {
		at := fmt.Sprintf("test[%d]", i)
		event, err := g.testEvent(t, at)
		if err != nil {
			return nil, err
		}
		spec := smoketest.Spec{
			Name:        t.Name,
			Command:     slices.Concat(cfg.Config.Entrypoint, cfg.Config.Cmd),
			Env:         cfg.Config.Env,
			Dir:         cfg.Config.WorkingDir,
			Event:       event,
			ExpectError: t.ExpectError,
			Timeout:     smoketest.Duration(t.Deadline()),
		}
		if t.Expect != "" {
			spec.Expect = json.RawMessage(t.Expect)
		}
		dt, err := json.Marshal(spec)
		if err != nil {
			return nil, fmt.Errorf("encoding %s: %w", at, err)
		}
		name := "test " + t.Name
		file := llb.Scratch().File(llb.Mkfile("test.json", 0o644, dt), g.stepName(name+": write the test"))
		opts := []llb.RunOption{
			llb.Args([]string{path.Join(testDir, "bin", "frontend"), "smoke-test", path.Join(testDir, "test", "test.json")}),
			llb.AddMount(path.Join(testDir, "bin"), tool, llb.SourcePath("/bin"), llb.Readonly),
			llb.AddMount("/tmp", llb.Scratch(), llb.Tmpfs()),
			llb.ReadonlyRootFS(),
			llb.User(testUser),
			llb.Network(pb.NetMode_NONE),
			g.stepName(name),
		}
		run := img.Run(append(opts, g.location(at)...)...)
		// The test's file is the step's one output, which the solve needs;
		// the function's user cannot write to it.
		tests = append(tests, Test{Name: t.Name, Path: at, State: run.AddMount(path.Join(testDir, "test"), file)})
	}
	return tests, nil
}

// testEvent is a test's event: inline, from its file, or {}.
func (g *gen) testEvent(t lambdafile.Test, at string) (json.RawMessage, error) {
	switch {
	case t.Event != "":
		return json.RawMessage(t.Event), nil
	case t.EventFile == "":
		return json.RawMessage("{}"), nil
	}
	name := eventFile(g.s, t)
	dt, ok := g.opt.Files[name]
	if !ok {
		return nil, &ContextError{Path: at + ".eventFile", Msg: fmt.Sprintf("%s is not in the build context; check the path and .dockerignore", name)}
	}
	if !json.Valid(dt) {
		return nil, &ContextError{Path: at + ".eventFile", Msg: fmt.Sprintf("%s is not JSON; an event file holds one JSON value, like {\"name\": \"Ada\"}", name)}
	}
	return json.RawMessage(dt), nil
}

// testFiles are the event files of lambda.yaml's tests, in the build
// context.
func testFiles(s *lambdafile.File) []string {
	var files []string
	for _, t := range s.Test {
		if t.EventFile != "" {
			files = append(files, eventFile(s, t))
		}
	}
	return files
}

// eventFile is where a test's event file is in the build context: like
// the handler, it is relative to the workspace.
func eventFile(s *lambdafile.File, t lambdafile.Test) string {
	return path.Join(s.Workspace, t.EventFile)
}
