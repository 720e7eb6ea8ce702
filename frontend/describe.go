package frontend

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/moby/buildkit/frontend/gateway/client"
	"github.com/moby/buildkit/frontend/subrequests"
	"github.com/moby/buildkit/frontend/subrequests/lint"
	"github.com/moby/buildkit/frontend/subrequests/outline"
	subtargets "github.com/moby/buildkit/frontend/subrequests/targets"
)

// describeSubrequests answers subrequests.describe. dockerui's own answer
// leaves out lint (--check), which this frontend answers itself
// (answerCheck).
func describeSubrequests() (*client.Result, error) {
	all := []subrequests.Request{
		outline.SubrequestsOutlineDefinition,
		subtargets.SubrequestsTargetsDefinition,
		lint.SubrequestLintDefinition,
		subrequests.SubrequestsDescribeDefinition,
	}
	dt, err := json.MarshalIndent(all, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding the subrequests: %w", err)
	}
	var txt bytes.Buffer
	if err := subrequests.PrintDescribe(dt, &txt); err != nil {
		return nil, fmt.Errorf("printing the subrequests: %w", err)
	}
	res := client.NewResult()
	res.AddMeta("result.json", dt)
	res.AddMeta("result.txt", txt.Bytes())
	res.AddMeta("version", []byte(subrequests.SubrequestsDescribeDefinition.Version))
	return res, nil
}
