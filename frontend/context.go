package frontend

import (
	"context"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
)

// contextFiles is what the frontend reads of the build context before
// generating LLB.
type contextFiles struct {
	// files holds the requested files that exist.
	files map[string][]byte
	// links maps the requested link probes that are symbolic links to
	// their targets.
	links map[string]string
}

// readContextFiles reads the named files from the build context (after
// .dockerignore), skipping those that do not exist, and finds which of the
// link probes are symbolic links. Only these paths are transferred, so
// reading them costs little.
func readContextFiles(ctx context.Context, bc *dockerui.Client, names, linkProbes []string) (*contextFiles, error) {
	out := &contextFiles{files: map[string][]byte{}, links: map[string]string{}}
	all := append(slices.Clone(names), linkProbes...)
	if len(all) == 0 {
		return out, nil
	}
	st, err := bc.MainContext(ctx, llb.FollowPaths(all), llb.WithCustomName("[internal] load dependency manifests"))
	if err != nil {
		return nil, fmt.Errorf("reading the build context: %w", err)
	}
	def, err := st.Marshal(ctx)
	if err != nil {
		return nil, fmt.Errorf("reading the build context: %w", err)
	}
	res, err := bc.GatewayClient().Solve(ctx, client.SolveRequest{Definition: def.ToPB()})
	if err != nil {
		return nil, fmt.Errorf("reading the build context: %w", err)
	}
	ref, err := res.SingleRef()
	if err != nil {
		return nil, fmt.Errorf("reading the build context: %w", err)
	}
	byDir := map[string][]string{}
	for _, name := range all {
		byDir[path.Dir(name)] = append(byDir[path.Dir(name)], name)
	}
	for _, dir := range slices.Sorted(maps.Keys(byDir)) {
		entries, err := ref.ReadDir(ctx, client.ReadDirRequest{Path: path.Join("/", dir)})
		if err != nil {
			if dir == "." {
				return nil, fmt.Errorf("reading the build context: %w", err)
			}
			continue // the directory is not in the context
		}
		for _, e := range entries {
			name := path.Join(dir, path.Base(e.GetPath()))
			switch {
			case fs.FileMode(e.GetMode())&fs.ModeSymlink != 0 && slices.Contains(linkProbes, name):
				out.links[name] = e.GetLinkname()
			case e.IsDir() || !slices.Contains(names, name):
			default:
				dt, err := ref.ReadFile(ctx, client.ReadRequest{Filename: name})
				if err != nil {
					return nil, fmt.Errorf("reading %s: %w", name, err)
				}
				out.files[name] = dt
			}
		}
	}
	return out, nil
}
