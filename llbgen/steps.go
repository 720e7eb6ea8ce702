package llbgen

import (
	"fmt"
	"maps"
	"slices"

	"github.com/buildkit-lambda/buildkit-lambda/lambdafile"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
)

// buildDir is where the compile stage keeps the sources.
const buildDir = "/build"

// step is one command of the compile stage.
type step struct {
	// name is shown in the build progress.
	name string
	// args is the command, run without a shell: no value from lambda.yaml
	// may reach one but build.commands, which are shell by design (see
	// shell).
	args []string
	// declaredAt is the lambda.yaml path the step comes from; a failing step
	// shows that line.
	declaredAt string
	// fetches marks steps that download dependencies: they get the network
	// and the user's secrets. Every other step runs without a network.
	fetches bool
	// secrets mounts the user's secrets without the network, for build
	// commands that read them.
	secrets bool
	opts    []llb.RunOption
}

// run adds a step on top of st.
func (g *gen) run(st llb.State, s step) llb.ExecState {
	opts := []llb.RunOption{
		llb.Args(s.args),
		g.stepName(s.name),
	}
	opts = append(opts, g.location(s.declaredAt)...)
	if s.fetches {
		opts = append(opts, llb.Network(g.opt.NetworkMode))
	} else {
		opts = append(opts, llb.Network(pb.NetMode_NONE))
	}
	if s.fetches || s.secrets {
		opts = append(opts, g.secretMounts()...)
	}
	if s.fetches {
		opts = append(opts, g.sshMounts()...)
	}
	return st.Run(append(opts, s.opts...)...)
}

// shell is the command that runs a script with /bin/sh -c.
func shell(script string) []string { return []string{"/bin/sh", "-c", script} }

// copy adds a file copy on top of st.
func (g *gen) copy(st llb.State, name string, from llb.State, src, dest string, info *llb.CopyInfo) llb.State {
	if info == nil {
		info = &llb.CopyInfo{CreateDestPath: true}
	}
	return st.File(llb.Copy(from, src, dest, info), g.stepName(name))
}

// readable makes copied files readable, and directories searchable, by the
// non-root user Lambda runs functions as.
var readable = &llb.ChmodOpt{ModeStr: "a+rX"}

// cacheMount mounts a persistent cache for a package manager. IDs are
// namespaced by runtime and architecture, so that caches of packages for
// another platform are never mixed in.
func (g *gen) cacheMount(target, tool string, sharing llb.CacheMountSharingMode) llb.RunOption {
	id := fmt.Sprintf("buildkit-lambda/%s/%s/%s", g.s.Runtime, g.arch, tool)
	if g.opt.CacheNS != "" {
		id = g.opt.CacheNS + "/" + id
	}
	if c := (CacheMount{ID: id, Target: target}); !slices.Contains(g.caches, c) {
		g.caches = append(g.caches, c)
	}
	return llb.AddMount(target, llb.Scratch(), llb.AsPersistentCacheDir(id, sharing))
}

// secretMounts mounts every secret the spec lists. A secret is optional
// unless marked required, so builds without it still run.
func (g *gen) secretMounts() []llb.RunOption {
	var opts []llb.RunOption
	for _, sec := range g.s.Secrets {
		so := []llb.SecretOption{llb.SecretID(sec.ID)}
		if !sec.Required {
			so = append(so, llb.SecretOptional)
		}
		switch {
		case sec.Env != "":
			opts = append(opts, llb.AddSecretWithDest(sec.ID, nil, append(so, llb.SecretAsEnvName(sec.Env))...))
		case sec.Target != "":
			opts = append(opts, llb.AddSecret(sec.Target, so...))
		default:
			opts = append(opts, llb.AddSecret("/run/secrets/"+sec.ID, so...))
		}
	}
	return opts
}

// sshMounts forwards the SSH agents the spec lists; the first is
// SSH_AUTH_SOCK, as for a Dockerfile's RUN --mount=type=ssh.
func (g *gen) sshMounts() []llb.RunOption {
	var opts []llb.RunOption
	for i, id := range g.s.SSH {
		target := fmt.Sprintf("/run/buildkit/ssh_agent.%d", i)
		opts = append(opts, llb.AddSSHSocket(llb.SSHID(id), llb.SSHSocketTarget(target)))
		if i == 0 {
			opts = append(opts, llb.AddEnv("SSH_AUTH_SOCK", target))
		}
	}
	return opts
}

// location points a step at the lambda.yaml line of a path, when known.
func (g *gen) location(path string) []llb.RunOption {
	var opts []llb.RunOption
	for _, o := range g.locationOpts(path) {
		opts = append(opts, o)
	}
	return opts
}

// locationOpts points any op at the lambda.yaml line of a path, when known.
func (g *gen) locationOpts(path string) []llb.ConstraintsOpt {
	pos := g.s.Pos(path)
	if pos.Line == 0 {
		// Defaults are not in the file; the runtime line is what chose them.
		pos = g.s.Pos("runtime")
	}
	if g.opt.SourceMap == nil || pos.Line == 0 {
		return nil
	}
	line := int32(pos.Line)
	return []llb.ConstraintsOpt{g.opt.SourceMap.Location([]*pb.Range{{
		Start: &pb.Position{Line: line, Character: int32(pos.Column - 1)},
		End:   &pb.Position{Line: line},
	}})}
}

// commands runs build.commands in order on top of st, with the declared
// build arguments in their environment. Predefined ones that are not
// declared stay out, so that a target platform's builds can share the steps
// that do not depend on it.
func (g *gen) commands(st llb.State, opts ...llb.RunOption) llb.State {
	for _, k := range slices.Sorted(maps.Keys(g.s.Args)) {
		opts = append(opts, llb.AddEnv(k, g.args[k]))
	}
	for i, c := range g.s.Build.Commands {
		st = g.run(st, step{
			name: c, args: shell(c), declaredAt: fmt.Sprintf("build.commands[%d]", i),
			fetches: true, opts: opts,
		}).Root()
	}
	return st
}

// sources copies the build context into the compile stage, less the
// directories a local install leaves behind, which must never shadow the
// ones the compile stage installs.
func (g *gen) sources(st llb.State, exclude ...string) llb.State {
	return g.copy(st, "copy sources", g.opt.Context, "/", buildDir, &llb.CopyInfo{
		CopyDirContentsOnly: true, CreateDestPath: true, ExcludePatterns: exclude,
	})
}

// copyPresent copies those of files that the build context has, each to
// the same path under buildDir, one step each, so that a change to one
// leaves the steps of the others cached.
func (g *gen) copyPresent(st llb.State, files ...string) llb.State {
	for _, f := range files {
		if g.hasFile(f) {
			st = g.copy(st, "copy "+f, g.opt.Context, "/"+f, buildDir+"/"+f, nil)
		}
	}
	return st
}

// hasFile says whether the build context has a file ProbeFiles asked for.
func (g *gen) hasFile(name string) bool {
	_, ok := g.opt.Files[name]
	return ok
}

// ProbeFiles lists the context files Generate reads for a file: the
// dependency manifests of its runtime and the event files of its tests. Callers put the ones that exist in
// Options.Files.
func ProbeFiles(s *lambdafile.File) []string {
	return append(manifestFiles(s), testFiles(s)...)
}

// manifestFiles are the dependency manifests the runtime's recipe reads.
func manifestFiles(s *lambdafile.File) []string {
	r, err := recipeOf(s)
	if err != nil {
		return nil
	}
	return r.manifests(s)
}

// stepName names a step in the build progress, after the runtime.
func (g *gen) stepName(name string) llb.ConstraintsOpt {
	return llb.WithCustomName(fmt.Sprintf("[%s] %s", g.s.Runtime, name))
}
