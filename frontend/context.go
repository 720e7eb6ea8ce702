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
	fstypes "github.com/tonistiigi/fsutil/types"
	"golang.org/x/sync/errgroup"
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
	// Each ReadDir and ReadFile is a round trip to buildkitd: they run
	// side by side, and the results are put in order after.
	dirs := slices.Sorted(maps.Keys(byDir))
	listed := make([][]*fstypes.Stat, len(dirs))
	eg, ectx := errgroup.WithContext(ctx)
	for i, dir := range dirs {
		eg.Go(func() error {
			entries, err := ref.ReadDir(ectx, client.ReadDirRequest{Path: path.Join("/", dir)})
			if err != nil && dir == "." {
				return fmt.Errorf("reading the build context: %w", err)
			}
			listed[i] = entries // none when the directory is not in the context
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	var toRead []string
	for i, dir := range dirs {
		for _, e := range listed[i] {
			name := path.Join(dir, path.Base(e.GetPath()))
			switch {
			case fs.FileMode(e.GetMode())&fs.ModeSymlink != 0 && slices.Contains(linkProbes, name):
				out.links[name] = e.GetLinkname()
			case e.IsDir() || !slices.Contains(names, name):
			default:
				toRead = append(toRead, name)
			}
		}
	}
	data := make([][]byte, len(toRead))
	eg, ectx = errgroup.WithContext(ctx)
	for i, name := range toRead {
		eg.Go(func() error {
			dt, err := ref.ReadFile(ectx, client.ReadRequest{Filename: name})
			if err != nil {
				return fmt.Errorf("reading %s: %w", name, err)
			}
			data[i] = dt
			return nil
		})
	}
	if err := eg.Wait(); err != nil {
		return nil, err
	}
	for i, name := range toRead {
		out.files[name] = data[i]
	}
	return out, nil
}
