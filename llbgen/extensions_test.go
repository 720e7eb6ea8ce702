package llbgen_test

import (
	"context"
	"slices"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
)

// TestExtensionZip: a .zip extension is copied out of the context alone,
// unpacked into /opt by the frontend's binary without a network, and is a
// layer of its own under the dependencies; without the frontend's image,
// the build says why it cannot.
func TestExtensionZip(t *testing.T) {
	yaml := "runtime: python3.12\nhandler: app.handler\nextensions:\n  - ./extensions/agent.zip\n"
	s, opt := exampleWith(t, "python", yaml, amd64)
	if _, err := llbgen.Generate(context.Background(), s, opt); err == nil {
		t.Error("a .zip extension without the frontend's image must be an error")
	}
	frontend := llb.Image("example.com/buildkit-lambda:test")
	opt.Preflight = &frontend
	_, g, _ := generate(t, s, opt)
	cp, unzip, deps := g.find("extension extensions/agent.zip"), g.find("unzip into /opt"), g.find("pip install")
	if cp < 0 || unzip < 0 || deps < 0 {
		t.Fatalf("missing steps:\n%s", g)
	}
	if src := g.ops[cp].GetFile().Actions[0].GetCopy().Src; src != "/extensions/agent.zip" {
		t.Errorf("the extension step copies %s out of the context, want /extensions/agent.zip alone", src)
	}
	e := g.ops[unzip].GetExec()
	if want := []string{"/bin/frontend", "unzip", "--into", "/out/opt", "/in/extension.zip"}; !slices.Equal(e.Meta.Args, want) {
		t.Errorf("unzip args %q, want %q", e.Meta.Args, want)
	}
	if e.Network != pb.NetMode_NONE || !g.dependsOn(unzip, cp) {
		t.Errorf("unzip must run without a network on the copied .zip (network %s)", e.Network)
	}
	if g.dependsOn(deps, unzip) {
		t.Error("the dependency install must not wait for the extension")
	}
}
