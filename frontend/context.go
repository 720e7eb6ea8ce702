package frontend

import (
	"context"
	"fmt"
	"maps"
	"path"
	"slices"

	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
)

// readContextFiles reads the named files from the build context (after
// .dockerignore), skipping those that do not exist. Only these files are
// transferred, so reading them costs little.
func readContextFiles(ctx context.Context, bc *dockerui.Client, names []string) (map[string][]byte, error) {
	files := map[string][]byte{}
	if len(names) == 0 {
		return files, nil
	}
	st, err := bc.MainContext(ctx, llb.FollowPaths(names), llb.WithCustomName("[internal] load dependency manifests"))
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
	for _, name := range names {
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
			if e.IsDir() || !slices.Contains(byDir[dir], name) {
				continue
			}
			dt, err := ref.ReadFile(ctx, client.ReadRequest{Filename: name})
			if err != nil {
				return nil, fmt.Errorf("reading %s: %w", name, err)
			}
			files[name] = dt
		}
	}
	return files, nil
}
