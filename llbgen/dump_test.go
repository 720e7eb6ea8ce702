package llbgen_test

import (
	"fmt"
	"slices"
	"strings"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
)

// graph is a marshalled LLB definition, decoded for assertions and golden
// files. Ops are numbered in definition order.
type graph struct {
	ops   []*pb.Op
	index map[digest.Digest]int
	meta  []*pb.OpMetadata
}

func decode(def *llb.Definition) (*graph, error) {
	g := &graph{index: map[digest.Digest]int{}}
	for _, dt := range def.Def {
		var op pb.Op
		if err := op.UnmarshalVT(dt); err != nil {
			return nil, fmt.Errorf("decoding op: %w", err)
		}
		d := digest.FromBytes(dt)
		g.index[d] = len(g.ops)
		g.ops = append(g.ops, &op)
		g.meta = append(g.meta, def.Metadata[d].ToPB())
	}
	return g, nil
}

// name is the custom name of op i, as shown in the build progress.
func (g *graph) name(i int) string {
	if m := g.meta[i]; m != nil {
		return m.Description["llb.customname"]
	}
	return ""
}

// find returns the index of the first op whose name contains s, or -1.
func (g *graph) find(s string) int {
	for i := range g.ops {
		if strings.Contains(g.name(i), s) {
			return i
		}
	}
	return -1
}

// named returns the index of the op named "[runtime] s", or -1.
func (g *graph) named(s string) int {
	for i := range g.ops {
		if _, after, ok := strings.Cut(g.name(i), "] "); ok && after == s {
			return i
		}
	}
	return -1
}

// source returns the index of the first source op whose identifier starts
// with prefix, or -1.
func (g *graph) source(prefix string) int {
	for i, op := range g.ops {
		if src := op.GetSource(); src != nil && strings.HasPrefix(src.Identifier, prefix) {
			return i
		}
	}
	return -1
}

// dependsOn says whether op a has op b among its inputs, transitively.
func (g *graph) dependsOn(a, b int) bool {
	for _, in := range g.ops[a].Inputs {
		i := g.index[digest.Digest(in.Digest)]
		if i == b || g.dependsOn(i, b) {
			return true
		}
	}
	return false
}

// String renders the graph for golden files: one op a paragraph, inputs by
// number, everything that decides what a build does.
func (g *graph) String() string {
	var b strings.Builder
	for i, op := range g.ops {
		fmt.Fprintf(&b, "#%d", i)
		if n := g.name(i); n != "" {
			fmt.Fprintf(&b, " %q", n)
		}
		var ins []string
		for _, in := range op.Inputs {
			ins = append(ins, fmt.Sprintf("#%d", g.index[digest.Digest(in.Digest)]))
		}
		if len(ins) > 0 {
			fmt.Fprintf(&b, " <- %s", strings.Join(ins, " "))
		}
		if p := op.Platform; p != nil {
			fmt.Fprintf(&b, " [%s/%s]", p.OS, p.Architecture)
		}
		b.WriteString("\n")
		switch o := op.Op.(type) {
		case *pb.Op_Source:
			fmt.Fprintf(&b, "  source %s\n", o.Source.Identifier)
		case *pb.Op_Exec:
			writeExec(&b, o.Exec)
		case *pb.Op_File:
			for _, a := range o.File.Actions {
				if c := a.GetCopy(); c != nil {
					fmt.Fprintf(&b, "  copy input %d:%s -> %s", a.SecondaryInput, c.Src, c.Dest)
					switch {
					case c.ModeStr != "":
						fmt.Fprintf(&b, " mode=%s", c.ModeStr)
					case c.Mode >= 0:
						fmt.Fprintf(&b, " mode=%o", c.Mode)
					}
					if c.DirCopyContents {
						b.WriteString(" contents-only")
					}
					if len(c.ExcludePatterns) > 0 {
						fmt.Fprintf(&b, " exclude=%v", c.ExcludePatterns)
					}
					b.WriteString("\n")
				}
			}
		case *pb.Op_Merge:
			b.WriteString("  merge\n")
		}
	}
	return b.String()
}

func writeExec(b *strings.Builder, e *pb.ExecOp) {
	fmt.Fprintf(b, "  run %q in %s network=%s\n", e.Meta.Args, e.Meta.Cwd, e.Network)
	env := slices.Clone(e.Meta.Env)
	slices.Sort(env)
	for _, kv := range env {
		fmt.Fprintf(b, "  env %s\n", kv)
	}
	for _, m := range e.Mounts {
		switch m.MountType {
		case pb.MountType_CACHE:
			fmt.Fprintf(b, "  mount cache %s id=%s sharing=%s\n", m.Dest, m.CacheOpt.ID, m.CacheOpt.Sharing)
		case pb.MountType_SECRET:
			fmt.Fprintf(b, "  mount secret %s id=%s optional=%v\n", m.Dest, m.SecretOpt.ID, m.SecretOpt.Optional)
		case pb.MountType_BIND:
			if m.Dest != "/" {
				fmt.Fprintf(b, "  mount bind %s readonly=%v\n", m.Dest, m.Readonly)
			}
		}
	}
	for _, s := range e.Secretenv {
		fmt.Fprintf(b, "  secret env %s id=%s optional=%v\n", s.Name, s.ID, s.Optional)
	}
}
