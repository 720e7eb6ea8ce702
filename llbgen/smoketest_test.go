package llbgen_test

import (
	"context"
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/buildkit-lambda/buildkit-lambda/smoketest"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
)

const testedNode = "runtime: nodejs22\nhandler: app.handler\n" +
	"test:\n" +
	"  - name: greets\n    event: {name: Ada}\n    expect: {message: Hello}\n" +
	"  - eventFile: events/ada.json\n    expectError: TypeError\n    timeout: 5\n"

// TestSmokeTestSteps checks each test's step: the image's entrypoint and
// CMD, run by the frontend's binary as a non-root user on the read-only
// image with an empty /tmp and no network, and the test's file.
func TestSmokeTestSteps(t *testing.T) {
	s, opt := exampleWith(t, "nodejs", testedNode, amd64)
	opt.Files["events/ada.json"] = []byte(`{"name": "Ada"}`)
	frontend := llb.Image("example.com/buildkit-lambda:test")
	opt.Preflight = &frontend
	res, err := llbgen.Generate(context.Background(), s, opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Tests) != 2 || res.Tests[0].Name != "greets" || res.Tests[1].Name != "test[1]" || res.Tests[1].Path != "test[1]" {
		t.Fatalf("tests %+v", res.Tests)
	}
	wantEvents := []string{`{"name":"Ada"}`, `{"name":"Ada"}`}
	for i, test := range res.Tests {
		def, err := test.State.Marshal(context.Background(), llb.Platform(res.Platform))
		if err != nil {
			t.Fatal(err)
		}
		g, err := decode(def)
		if err != nil {
			t.Fatal(err)
		}
		run := g.named("test " + test.Name)
		if run < 0 || g.ops[run].GetExec() == nil {
			t.Fatalf("no step for test %s:\n%s", test.Name, g)
		}
		e := g.ops[run].GetExec()
		if want := []string{"/.buildkit-lambda/bin/frontend", "smoke-test", "/.buildkit-lambda/test/test.json"}; !slices.Equal(e.Meta.Args, want) {
			t.Errorf("args %q, want %q", e.Meta.Args, want)
		}
		if e.Meta.User != "993:990" || e.Network != pb.NetMode_NONE {
			t.Errorf("user %q network %s, want 993:990 and none", e.Meta.User, e.Network)
		}
		mounts := map[string]*pb.Mount{}
		for _, m := range e.Mounts {
			mounts[m.Dest] = m
		}
		if root := mounts["/"]; root == nil || !root.Readonly || g.ops[g.index[digest.Digest(g.ops[run].Inputs[root.Input].Digest)]].GetMerge() == nil {
			t.Errorf("the root is %v, want the merged image, read-only", root)
		}
		if tmp := mounts["/tmp"]; tmp == nil || tmp.MountType != pb.MountType_TMPFS {
			t.Errorf("/tmp is %v, want a tmpfs", tmp)
		}
		if bin := mounts["/.buildkit-lambda/bin"]; bin == nil || !bin.Readonly || bin.Selector != "/bin" {
			t.Errorf("the frontend's /bin is mounted as %v", bin)
		}
		testFile := mounts["/.buildkit-lambda/test"]
		if testFile == nil || testFile.Output < 0 {
			t.Fatalf("the test's file is mounted as %v, want the step's output", testFile)
		}
		mkfile := g.ops[g.index[digest.Digest(g.ops[run].Inputs[testFile.Input].Digest)]].GetFile().GetActions()[0].GetMkfile()
		var spec smoketest.Spec
		if err := json.Unmarshal(mkfile.GetData(), &spec); err != nil {
			t.Fatalf("test file: %v", err)
		}
		if !slices.Equal(spec.Command, []string{"/lambda-entrypoint.sh", "app.handler"}) || string(spec.Event) != wantEvents[i] ||
			!slices.ContainsFunc(spec.Env, func(v string) bool { return strings.HasPrefix(v, "LAMBDA_TASK_ROOT=") }) {
			t.Errorf("test file %s", mkfile.GetData())
		}
		if (i == 0 && string(spec.Expect) != `{"message":"Hello"}`) || (i == 1 && (spec.ExpectError != "TypeError" || time.Duration(spec.Timeout) != 5*time.Second)) {
			t.Errorf("test file %s", mkfile.GetData())
		}
	}
}

// TestSmokeTestEventFiles checks that an event file must be in the context
// and hold JSON, and that it is read from the workspace.
func TestSmokeTestEventFiles(t *testing.T) {
	for _, tc := range []struct {
		name  string
		files map[string][]byte
		msg   string
	}{
		{"missing", map[string][]byte{}, "events/ada.json is not in the build context"},
		{"not JSON", map[string][]byte{"events/ada.json": []byte("name: Ada")}, "events/ada.json is not JSON"},
	} {
		s, opt := exampleWith(t, "nodejs", testedNode, amd64)
		opt.Files = tc.files
		frontend := llb.Image("example.com/buildkit-lambda:test")
		opt.Preflight = &frontend
		_, err := llbgen.Generate(context.Background(), s, opt)
		var ce *llbgen.ContextError
		if !errors.As(err, &ce) || ce.Path != "test[1].eventFile" || !strings.Contains(ce.Msg, tc.msg) {
			t.Errorf("%s: got %v, want a ContextError at test[1].eventFile saying %q", tc.name, err, tc.msg)
		}
	}
	s, _ := exampleWith(t, "nodejs", "runtime: nodejs22\nworkspace: services/orders\nhandler: app.handler\ntest:\n  - eventFile: events/a.json\n", amd64)
	if files := llbgen.ProbeFiles(s); !slices.Contains(files, "services/orders/events/a.json") {
		t.Errorf("ProbeFiles %q lacks the workspace's event file", files)
	}
}

// TestNoSmokeTestsWithoutTheFrontendImage checks that tests need the
// frontend's binary: without it there are none to run.
func TestNoSmokeTestsWithoutTheFrontendImage(t *testing.T) {
	s, opt := exampleWith(t, "nodejs", testedNode, amd64)
	opt.Files["events/ada.json"] = []byte(`{}`)
	res, _, _ := generate(t, s, opt)
	if len(res.Tests) != 0 {
		t.Errorf("tests %+v without the frontend image", res.Tests)
	}
}
