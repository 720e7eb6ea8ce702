package frontend

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/frontend/gateway/client"
)

// epoch is SOURCE_DATE_EPOCH, when the build sets it.
func epoch(bc *dockerui.Client) (*time.Time, error) {
	v, ok := bc.BuildArgs["SOURCE_DATE_EPOCH"]
	if !ok || v == "" {
		return nil, nil
	}
	sec, err := strconv.ParseInt(v, 10, 64)
	if err != nil || sec < 0 {
		return nil, fmt.Errorf("SOURCE_DATE_EPOCH=%s is not a time; give the seconds since 1970-01-01 UTC, like $(git log -1 --format=%%ct)", v)
	}
	t := time.Unix(sec, 0).UTC()
	return &t, nil
}

// warnAboutAttestations warns when buildx asks for provenance or SBOM
// attestations: they turn a pushed image into an index, which Lambda
// refuses. A frontend cannot drop them; only the command line can.
func warnAboutAttestations(ctx context.Context, bc *dockerui.Client, src *dockerui.Source) {
	opts := bc.BuildOpts().Opts
	var asked []string
	for _, kind := range []string{"provenance", "sbom"} {
		if v, ok := opts["attest:"+kind]; ok && !strings.Contains(v, "disabled=true") {
			asked = append(asked, kind)
		}
	}
	if len(asked) == 0 {
		return
	}
	src.Warn(ctx, "Lambda refuses image indexes, and "+strings.Join(asked, " and ")+
		" attestations make this image one when pushed; push images for Lambda with --provenance=false --sbom=false",
		client.WarnOpts{Level: 1})
}
