package llbgen

import (
	"cmp"
	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"maps"
	"slices"
	"strings"

	dockerspec "github.com/moby/docker-image-spec/specs-go/v1"
	ocispecs "github.com/opencontainers/image-spec/specs-go/v1"
)

// Labels the frontend sets on every image it builds.
const (
	LabelVersion = lambdafile.OwnLabelPrefix + "version"
	LabelRuntime = lambdafile.OwnLabelPrefix + "runtime"
)

// imageConfig is the base image's config with the function's CMD, env and
// labels. The entrypoint, working directory and the rest of the env are the
// base image's: Lambda's entrypoint script is what runs the function.
func (g *gen) imageConfig(base *dockerspec.DockerOCIImage, l *layers) dockerspec.DockerOCIImage {
	var img dockerspec.DockerOCIImage
	if base != nil {
		img = *base
	} else {
		img = *fallbackConfig(g.s.BaseImage())
	}
	img.Platform = g.target
	img.RootFS = ocispecs.RootFS{Type: "layers"}
	img.Config.Cmd = []string{g.s.Handler}
	img.Config.Env = setEnv(setEnv(img.Config.Env, l.env), g.expand(g.s.Env))

	labels := maps.Clone(img.Config.Labels)
	if labels == nil {
		labels = map[string]string{}
	}
	maps.Copy(labels, g.s.Labels)
	maps.Copy(labels, g.opt.Labels)
	labels[LabelRuntime] = string(g.s.Runtime)
	labels[LabelVersion] = g.opt.Version
	img.Config.Labels = labels

	img.Created = g.opt.Epoch
	img.History = slices.Clone(img.History)
	for _, ext := range g.s.Extensions {
		what := "extension: /opt of " + ext
		if lambdafile.IsExtensionZip(ext) {
			what = "extension: " + ext + " unpacked into /opt"
		}
		img.History = append(img.History, g.history(what))
	}
	if l.deps.Output() != nil {
		img.History = append(img.History, g.history("dependencies: "+l.depsDescription))
	}
	img.History = append(img.History, g.history(cmp.Or(l.codeDescription, "code: "+g.s.Build.Output)))
	return img
}

func (g *gen) history(what string) ocispecs.History {
	return ocispecs.History{CreatedBy: "buildkit-lambda " + what, Comment: "buildkit-lambda", Created: g.opt.Epoch}
}

// envValue is the value of the variable name in env, "" when it is unset.
func envValue(env []string, name string) string {
	for _, kv := range slices.Backward(env) {
		if v, ok := strings.CutPrefix(kv, name+"="); ok {
			return v
		}
	}
	return ""
}

// setEnv sets variables in a KEY=value list, replacing existing ones in
// place and appending new ones in name order.
func setEnv(env []string, set map[string]string) []string {
	out := slices.Clone(env)
	for _, k := range slices.Sorted(maps.Keys(set)) {
		kv := k + "=" + set[k]
		if i := slices.IndexFunc(out, func(e string) bool { return strings.HasPrefix(e, k+"=") }); i >= 0 {
			out[i] = kv
		} else {
			out = append(out, kv)
		}
	}
	return out
}
