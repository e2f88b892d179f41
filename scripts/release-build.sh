#!/usr/bin/env bash
# Builds the release into dist/ with .goreleaser.yml, signs it, and runs the release verifier
# (internal/release/cmd/release-verify) over it. The release workflow and make release-dry-run
# both run it, so a dry run is the release but for the tag and the key.
#
#   release-build.sh [--snapshot]
#
#   GORELEASER          the goreleaser command to run (default: the one tools/goreleaser/go.mod pins,
#                       through go tool)
#   GPG_FINGERPRINT     the signing key, in GNUPGHOME. With --snapshot and no GPG_FINGERPRINT, a
#                       throwaway RSA 4096 key is made in a temporary GNUPGHOME, and removed after.
#   RELEASE_PUBLIC_KEY  the ASCII-armored public key the signature must verify with (the release
#                       workflow names the registered key, committed in the repository); by
#                       default the public half of the signing key.
#   RELEASE_TAG         the tag being released (vX.Y.Z): the verifier checks the version.
#
# It leaves in dist/: a zip per platform, the manifest, SHA256SUMS and its .sig (the files to publish),
# goreleaser's own files, and public-key.asc, the key the release was verified with.
set -euo pipefail
cd "$(dirname "$0")/.."

snapshot=()
if [ "${1:-}" = "--snapshot" ]; then snapshot=(--snapshot); fi
read -ra goreleaser <<<"${GORELEASER:-go tool -modfile=tools/goreleaser/go.mod goreleaser}"
say() { printf 'release-build.sh: %s\n' "$*" >&2; }

throwaway_home=""
cleanup() {
  if [ -n "$throwaway_home" ]; then
    GNUPGHOME="$throwaway_home" gpgconf --kill gpg-agent 2>/dev/null || true
    rm -rf "$throwaway_home"
  fi
}
trap cleanup EXIT

if [ -z "${GPG_FINGERPRINT:-}" ]; then
  if [ "${#snapshot[@]}" -eq 0 ]; then
    say "error: GPG_FINGERPRINT names no signing key; only a --snapshot build makes a throwaway one"
    exit 1
  fi
  command -v gpg >/dev/null || { say "error: gpg is not installed (Debian package gnupg)"; exit 1; }
  throwaway_home="$(mktemp -d /tmp/release-gnupg.XXXXXX)" # short: gpg-agent's socket lives there
  export GNUPGHOME="$throwaway_home"
  say "making a throwaway RSA 4096 signing key, valid one day, in $GNUPGHOME"
  gpg --batch --quiet --pinentry-mode loopback --passphrase '' \
    --quick-gen-key "terraform-provider-glossi release dry run <release-dry-run@invalid>" rsa4096 sign 1d
  GPG_FINGERPRINT="$(gpg --batch --with-colons --list-secret-keys | awk -F: '$1 == "fpr" && !n++ { print $10 }')"
fi
export GPG_FINGERPRINT

# goreleaser takes the commit, its date (the binaries' and zip entries' mtime) and the snapshot
# version from git, but gives up on all of them ("none", no date) in a checkout without a
# remote, such as a git worktree. Lend it the repository's URL, for this run only.
if [ -z "$(git remote)" ]; then
  export GIT_CONFIG_COUNT=1 GIT_CONFIG_KEY_0=remote.origin.url \
    GIT_CONFIG_VALUE_0=https://github.com/glossi/terraform-provider-glossi.git
fi

say "$("${goreleaser[@]}" --version 2>/dev/null | awk '/^GitVersion:/ { print "goreleaser " $2 }'): building every platform into dist/ (each platform compiles the whole provider: minutes with a cold Go cache)"
"${goreleaser[@]}" release --clean "${snapshot[@]}"

sums="$(ls dist/terraform-provider-glossi_*_SHA256SUMS)"
version="$(basename "$sums" _SHA256SUMS)"
version="${version#terraform-provider-glossi_}"
# goreleaser hashes the manifest into SHA256SUMS (checksum.extra_files) but leaves it where it
# is: the release needs it beside the zips, under its release name.
cp terraform-registry-manifest.json "dist/terraform-provider-glossi_${version}_manifest.json"
if [ -n "${RELEASE_PUBLIC_KEY:-}" ]; then
  cp "$RELEASE_PUBLIC_KEY" dist/public-key.asc
else
  gpg --batch --armor --export "$GPG_FINGERPRINT" >dist/public-key.asc
fi

go run ./internal/release/cmd/release-verify -key dist/public-key.asc ${RELEASE_TAG:+-tag "$RELEASE_TAG"} dist
