#!/usr/bin/env bash
# make release-install-proof: installs the release in dist/ (make release-dry-run) with
# `terraform init` and `tofu init` through a loopback HTTPS registry, applies it against the
# sandbox, and checks that a tampered SHA256SUMS fails init: internal/release/install_proof_test.go
# (go test -tags releaseproof), once per CLI. The CLIs, all of the versions scripts/cli-versions.env
# names, none downloaded, each but the first checked to be of its version (find_cli in
# scripts/cli-version.sh):
#   - the terraform on PATH (CLI_TERRAFORM);
#   - Terraform CLI_TERRAFORM_LATEST: TERRAFORM_LATEST_PATH if set, else scripts/terraform.sh's build;
#   - OpenTofu CLI_OPENTOFU: OPENTOFU_PATH if set, else scripts/opentofu.sh's build;
#   - each Terraform of CLI_TERRAFORM_RELEASE_PROOF, built by scripts/terraform.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1

. scripts/cli-version.sh

test -f dist/public-key.asc || { echo "release-install-proof.sh: error: no release in dist/: run make release-dry-run first" >&2; exit 1; }
terraform="$(command -v terraform)" || { echo "release-install-proof.sh: error: terraform is not on PATH" >&2; exit 1; }

clis=("$terraform")
find_cli terraform "$(version CLI_TERRAFORM_LATEST)" "${TERRAFORM_LATEST_PATH:-}"
clis+=("$cli")
find_cli opentofu "$(version CLI_OPENTOFU)" "${OPENTOFU_PATH:-}"
clis+=("$cli")
IFS=, read -r -a more <<<"$(version CLI_TERRAFORM_RELEASE_PROOF)"
for v in "${more[@]}"; do
	find_cli terraform "$v"
	clis+=("$cli")
done

RELEASE_DIST="$PWD/dist" RELEASE_PUBLIC_KEY="$PWD/dist/public-key.asc" RELEASE_PROOF_CLIS="${clis[*]}" \
	go test -count=1 -tags releaseproof -run '^TestInstallProof$' -timeout 15m -v ./internal/release
