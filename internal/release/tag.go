package release

import (
	"fmt"
	"strings"

	"golang.org/x/mod/semver"
)

// VersionOfTag returns the version a release tag names (v0.1.0 names 0.1.0). It refuses a tag
// that is not a full semantic version with a leading v (v1.2 and v1.2.3+build are refused:
// the Registry and terraform init compare versions by semver, and each version has one tag).
func VersionOfTag(tag string) (string, error) {
	if !strings.HasPrefix(tag, "v") || !semver.IsValid(tag) || semver.Canonical(tag) != tag {
		return "", fmt.Errorf("tag %q is not a release tag: want v<major>.<minor>.<patch>, optionally with a pre-release (v0.1.0, v0.2.0-rc.1), and no build metadata", tag)
	}
	return strings.TrimPrefix(tag, "v"), nil
}
