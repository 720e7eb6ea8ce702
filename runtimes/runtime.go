package runtimes

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Runtime is one row of the registry: a runtime lambda.yaml can name.
type Runtime struct {
	// Name is the value of runtime: in lambda.yaml, like nodejs22.
	Name string
	// Identifier is AWS's runtime identifier, like nodejs22.x.
	Identifier string
	// Family is the language the runtime runs.
	Family Family
	// Version is the language version, like "22" or "3.12"; empty for a
	// runtime whose toolchain the project chooses (go).
	Version string
	// Base is the AWS base image of the final stage.
	Base string
	// OS is the Amazon Linux generation of the base image.
	OS OS
	// Architectures are the Lambda architectures the runtime runs on.
	Architectures []string
	// Deprecated is the day AWS deprecates the runtime: its base image
	// gets no more security patches. Builds warn from that day on.
	Deprecated time.Time
	// Retired marks a runtime AWS no longer lets anyone deploy or update:
	// loading a lambda.yaml that names it is an error.
	Retired bool
	// Summary describes the runtime for the schema and the docs.
	Summary string
}

// OS is an Amazon Linux generation of Lambda's execution environment.
type OS struct {
	// Name is how AWS names it, like "Amazon Linux 2023".
	Name string
	// Glibc is its glibc version, like "2.34": native code built against a
	// newer one fails to load.
	Glibc string
}

// The Amazon Linux generations of Lambda's runtimes.
var (
	AL2    = OS{Name: "Amazon Linux 2", Glibc: "2.26"}
	AL2023 = OS{Name: "Amazon Linux 2023", Glibc: "2.34"}
)

// GlibcMinor is the minor version of the OS's glibc: 34 for 2.34.
func (o OS) GlibcMinor() int {
	_, minor, _ := strings.Cut(o.Glibc, ".")
	n, _ := strconv.Atoi(minor)
	return n
}

// Supports says whether the runtime runs on a Lambda architecture.
func (r Runtime) Supports(arch string) bool { return slices.Contains(r.Architectures, arch) }

// DeprecatedOn says whether AWS has deprecated the runtime by day.
func (r Runtime) DeprecatedOn(day time.Time) bool {
	return !r.Deprecated.IsZero() && !day.Before(r.Deprecated)
}

// Successor is the runtime to move to from r: the newest runtime of the
// same family that is not deprecated on day, or "" when there is none.
func (r Runtime) Successor(day time.Time) string {
	best := ""
	for _, c := range registry {
		if c.Family == r.Family && c.Name != r.Name && !c.Retired && !c.DeprecatedOn(day) {
			best = c.Name // rows are oldest first
		}
	}
	return best
}

// DeprecationNotice explains a runtime's deprecation on day, or "" when it
// is not deprecated.
func (r Runtime) DeprecationNotice(day time.Time) string {
	if !r.DeprecatedOn(day) {
		return ""
	}
	msg := fmt.Sprintf("AWS deprecated %s on %s: its base image gets no more security patches, and .zip functions on it can no longer be created or updated",
		r.Identifier, r.Deprecated.Format(time.DateOnly))
	if next := r.Successor(day); next != "" {
		msg += "; move to " + next
	}
	return msg
}

// date is a day in UTC, for the registry's rows.
func date(year int, month time.Month, day int) time.Time {
	return time.Date(year, month, day, 0, 0, 0, 0, time.UTC)
}
