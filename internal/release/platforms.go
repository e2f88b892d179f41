package release

import "fmt"

// ProjectName prefixes every file of a release, and names the provider binary.
const ProjectName = "terraform-provider-glossi"

// Platform is an operating system and an architecture a release has a zip for.
type Platform struct {
	OS   string
	Arch string
}

func (p Platform) String() string { return p.OS + "/" + p.Arch }

// Platforms is every platform a release ships, as .goreleaser.yml builds them: the list the
// verifier holds dist/ to and the install proof's registry serves. windows/arm is not here:
// Go 1.26 dropped it.
var Platforms = []Platform{
	{"darwin", "amd64"}, {"darwin", "arm64"},
	{"freebsd", "386"}, {"freebsd", "amd64"}, {"freebsd", "arm"}, {"freebsd", "arm64"},
	{"linux", "386"}, {"linux", "amd64"}, {"linux", "arm"}, {"linux", "arm64"},
	{"windows", "386"}, {"windows", "amd64"}, {"windows", "arm64"},
}

// ZipName is the name of the release zip for platform p at version.
func ZipName(version string, p Platform) string {
	return fmt.Sprintf("%s_%s_%s_%s.zip", ProjectName, version, p.OS, p.Arch)
}

// BinaryName is the name of the one file inside the zip for platform p: Terraform runs the
// file whose name starts with terraform-provider-glossi, and the Registry expects the version
// in it.
func BinaryName(version string, p Platform) string {
	name := fmt.Sprintf("%s_v%s", ProjectName, version)
	if p.OS == "windows" {
		name += ".exe"
	}
	return name
}

// SumsName is the name of the checksum file: the SHA-256 of every zip and of the manifest.
func SumsName(version string) string { return fmt.Sprintf("%s_%s_SHA256SUMS", ProjectName, version) }

// SigName is the name of the binary detached signature of the checksum file.
func SigName(version string) string { return SumsName(version) + ".sig" }

// ManifestName is the name of the registry manifest, which names the plugin protocols.
func ManifestName(version string) string {
	return fmt.Sprintf("%s_%s_manifest.json", ProjectName, version)
}
