package frontend

import (
	"context"
	"fmt"
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
	entries, err := ref.ReadDir(ctx, client.ReadDirRequest{Path: "/"})
	if err != nil {
		return nil, fmt.Errorf("reading the build context: %w", err)
	}
	for _, e := range entries {
		name := path.Base(e.GetPath())
		if e.IsDir() || !slices.Contains(names, name) {
			continue
		}
		dt, err := ref.ReadFile(ctx, client.ReadRequest{Filename: name})
		if err != nil {
			return nil, fmt.Errorf("reading %s: %w", name, err)
		}
		files[name] = dt
	}
	return files, nil
}
