package lambdafile

import (
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/buildkit-lambda/buildkit-lambda/runtimes"
)

var (
	// npmPackagePattern is an npm package name, or a scope's packages
	// written @scope/*.
	npmPackagePattern = regexp.MustCompile(`^(@[a-z0-9~-][a-z0-9._~-]*/)?([a-z0-9~-][a-z0-9._~-]*|\*)$`)
	// esbuildTarget is what esbuild's --target takes: engines with
	// versions, or esnext, separated by commas.
	esbuildTarget = regexp.MustCompile(`^(esnext|[a-z]+[0-9][0-9.]*)(,(esnext|[a-z]+[0-9][0-9.]*))*$`)
	// managerVersion is an exact version of a package manager.
	managerVersion = regexp.MustCompile(`^\d+\.\d+\.\d+(-[0-9A-Za-z.-]+)?$`)
)

// bundle checks build.bundle.
func (v *validator) bundle() {
	b := v.s.Build.Bundle
	if !b.Enabled() {
		return
	}
	if fam := v.s.Runtime.Family(); fam != nil {
		if _, ok := fam.(runtimes.Bundled); !ok {
			v.errorf("build.bundle", "bundles JavaScript; runtime %s has nothing to bundle, remove build.bundle", v.s.Runtime)
			return
		}
	}
	if b.Tool != Esbuild {
		v.errorf("build.bundle.tool", "unknown bundler %q; the frontend bundles with esbuild", b.Tool)
	}
	if b.Format != "" && b.Format != FormatCJS && b.Format != FormatESM {
		v.errorf("build.bundle.format", "unknown format %q; use esm or cjs", b.Format)
	}
	if b.Target != "" && !esbuildTarget.MatchString(b.Target) {
		v.errorf("build.bundle.target", "%q is not an esbuild target; write one like node22 or es2022", b.Target)
	}
	for i, name := range b.External {
		p := fmt.Sprintf("build.bundle.external[%d]", i)
		switch {
		case !npmPackagePattern.MatchString(name):
			v.errorf(p, "%q is not an npm package name; write one like sharp, or @aws-sdk/* for a scope's packages", name)
		case slices.Index(b.External, name) < i:
			v.errorf(p, "%q is listed twice", name)
		}
	}
}

// packageManager checks build.packageManager.
func (v *validator) packageManager() {
	pm := v.s.Build.PackageManager
	fam := v.s.Runtime.Family()
	if pm == "" || fam == nil {
		return
	}
	managed, ok := fam.(runtimes.Managed)
	if !ok {
		v.errorf("build.packageManager", "runtime %s has no package managers to choose from; remove build.packageManager", v.s.Runtime)
		return
	}
	name, version, pinned := strings.Cut(pm, "@")
	names := managed.PackageManagers()
	switch {
	case !slices.Contains(names, name):
		choices := strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
		v.errorf("build.packageManager", "unknown package manager %q; %s uses %s%s", name, fam.Language(), choices, DidYouMean(name, names))
	case pinned && !managed.ManagerVersions():
		v.errorf("build.packageManager", "%s takes no version: the frontend reads the lockfile itself and installs with the image's pip; write %s", fam.Language(), name)
	case pinned && !managerVersion.MatchString(version):
		v.errorf("build.packageManager", "%q has no exact version; write it as name@x.y.z, like pnpm@10.34.9", pm)
	}
}
