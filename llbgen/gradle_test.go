package llbgen_test

import (
	"maps"
	"slices"
	"strings"
	"testing"

	"github.com/buildkit-lambda/buildkit-lambda/llbgen"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
)

// TestGradle: a Gradle project builds in the image of the Gradle its
// wrapper names (else the image's own), fetches the runtime class path on
// the build files alone with the frontend's init script, and compiles
// offline into target/classes.
func TestGradle(t *testing.T) {
	s, files := e2eFixture(t, "java-gradle", "lambda.yaml")
	for _, tc := range []struct {
		name, wrapper, image string
	}{
		{"no wrapper", "", "docker-image://docker.io/library/gradle:jdk17"},
		{"wrapper", "distributionBase=GRADLE_USER_HOME\ndistributionUrl=https\\://services.gradle.org/distributions/gradle-8.10.2-bin.zip\n",
			"docker-image://docker.io/library/gradle:8.10.2-jdk17"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := maps.Clone(files)
			if tc.wrapper != "" {
				f["gradle/wrapper/gradle-wrapper.properties"] = []byte(tc.wrapper)
			}
			opt := llbgen.Options{TargetPlatform: &arm64, BuildPlatform: amd64, Context: llb.Local("context", llb.SessionID("test")),
				Files: f, Images: baseImages{}, MergeOp: true}
			_, g, _ := generate(t, s, opt)
			assertSources(t, g, tc.image, "docker-image://public.ecr.aws/lambda/java:17")
			fetch, compile, build := g.find("gradle lambdaDependencies"), g.named("gradle classes"), g.find("copy build.gradle")
			if fetch < 0 || compile < 0 || build < 0 {
				t.Fatalf("missing steps:\n%s", g)
			}
			e := g.ops[fetch].GetExec()
			if args := strings.Join(e.Meta.Args, " "); !strings.Contains(args, "gradle --no-daemon --console=plain --init-script /opt/buildkit-lambda/lambda.gradle lambdaDependencies") || e.Network != pb.NetMode_UNSET {
				t.Errorf("the fetch runs %q with network %v", args, e.Network)
			}
			assertCache(t, e, "/root/.cache/gradle-downloads", "buildkit-lambda/java17/arm64/gradle", pb.CacheSharingOpt_LOCKED)
			if !g.dependsOn(fetch, build) || !slices.Contains(e.Meta.Env, "GRADLE_USER_HOME=/root/.gradle") {
				t.Errorf("the fetch must run on build.gradle with GRADLE_USER_HOME, env %q", e.Meta.Env)
			}
			c := g.ops[compile].GetExec()
			if !slices.Contains(c.Meta.Args, "--offline") || !slices.Contains(c.Meta.Args, "lambdaClasses") || c.Network != pb.NetMode_NONE || !g.dependsOn(compile, fetch) {
				t.Errorf("the compile runs %q with network %v; want the offline lambdaClasses after the fetch", c.Meta.Args, c.Network)
			}
			code := g.ops[g.find("copy target/classes to /var/task")].GetFile().Actions[0].GetCopy()
			if code.Src != "/build/target/classes" {
				t.Errorf("the code layer copies %s, want target/classes", code.Src)
			}
			if d := llbgen.DependenciesOf(s, f); d != (llbgen.Dependencies{Manager: "gradle", Lockfile: "build.gradle", Locked: true}) {
				t.Errorf("dependencies %+v", d)
			}
		})
	}
}
