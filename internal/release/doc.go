// Package release reads and verifies a release of the provider as goreleaser leaves it in
// dist/, the way terraform init and the Terraform Registry will read it. make release-dry-run
// and the release workflow run it (through cmd/release-verify) before anything is published.
//
//   - platforms.go: the platforms a release ships, and the name of each of its files.
//   - dist.go: Open reads dist/: the checksum file, its version, the manifest.
//   - verify.go: Verify, every check of a release, each problem reported; Check, Verify of a
//     release folder against the protocols its binary serves.
//   - zips.go: the one-binary rule for each zip; extracting a binary.
//   - signature.go: the checksum file's signature, checked with the OpenPGP library Terraform
//     uses (github.com/ProtonMail/go-crypto).
//   - handshake.go: ServedProtocols starts the binary as Terraform does and reads the protocol
//     it serves, which the manifest must list.
//   - tag.go: VersionOfTag, the release tag rule.
//
// Its install_proof_test.go (build tag releaseproof, make release-install-proof) installs
// dist/ with terraform init and tofu init through a loopback registry (registry_test.go).
// It knows nothing of Terraform's Go libraries; depguard keeps it so.
package release
