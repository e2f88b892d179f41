#!/usr/bin/env bash
# Builds Terraform from source through the Go module proxy into a cache folder outside the repo
# and prints the binary's path. A second run reuses the binary. Progress goes to stderr.
#
# Terraform 1.12+ (resource identity) and 1.14+ (list resources, `terraform query`, actions) are
# not packaged for these machines. The proxy serves the module's exact versions, but its go.mod
# requires ten nested modules (nine remote-state backends and internal/legacy) and replaces
# them with local folders, and a module zip never holds nested modules. So the source is copied
# out of the module cache, those require and replace lines are dropped, and the backends that
# lived in them are unregistered (local, remote, http, inmem and cloud remain; the tests use
# local).
#
#   TERRAFORM_VERSION  the version to build, X.Y.Z or vX.Y.Z (default: CLI_TERRAFORM_LATEST, from
#                      the environment or scripts/cli-versions.env: scripts/cli-version.sh)
#   TERRAFORM_CACHE    where to build and keep it (default ${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-glossi/terraform)
set -euo pipefail

. "$(dirname "$0")/cli-version.sh"
version="${TERRAFORM_VERSION:-$(version CLI_TERRAFORM_LATEST)}"
version="v${version#v}" # the module version: vX.Y.Z
cache="${TERRAFORM_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-glossi/terraform}"
dir="$cache/$version"
bin="$dir/terraform"
module=github.com/hashicorp/terraform
dropped_backends="azure consul cos gcs kubernetes oci oss pg s3"

if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

say() { printf 'terraform.sh: %s\n' "$*" >&2; }
fail() { say "error: $*"; exit 1; }

export GOFLAGS=-mod=mod
export GOWORK=off

say "downloading $module@$version from the Go module proxy"
# go mod download -json reports a failure in the JSON's "Error" field and exits 1.
download="$(go mod download -json "$module@$version")" ||
  fail "could not download $module@$version (does the Go module proxy serve that exact version?): $(printf '%s' "$download" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",*$/\1/p')"
src_in_cache="$(printf '%s' "$download" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')"
[ -d "$src_in_cache" ] || fail "the Go module proxy gave no source folder for $module@$version"

rm -rf "$dir/src"
mkdir -p "$dir"
cp -R "$src_in_cache" "$dir/src"
chmod -R u+w "$dir/src"
cd "$dir/src"

say "dropping the nested modules from go.mod and unregistering their backends"
edits=(-droprequire "$module/internal/legacy" -dropreplace "$module/internal/legacy")
for b in $dropped_backends; do
  edits+=(-droprequire "$module/internal/backend/remote-state/$b" -dropreplace "$module/internal/backend/remote-state/$b")
done
go mod edit "${edits[@]}"
init=internal/backend/init/init.go
for b in $dropped_backends; do
  grep -q "internal/backend/remote-state/$b\"" "$init" || fail "$init no longer imports the $b backend: the patch needs updating for $version"
  sed -i "\#internal/backend/remote-state/$b\"#d" "$init"
done
# The import aliases (backendAzure, backendGCS, ...) name each dropped backend once more, in
# its registration line.
sed -i -E '/backend(Azure|Consul|Cos|GCS|Kubernetes|OCI|OSS|Pg|S3)\.New/d' "$init"
rm -rf internal/legacy $(printf 'internal/backend/remote-state/%s ' $dropped_backends)

say "building Terraform $version in $dir (10 to 20 min on an idle 2-core machine with a cold Go cache, under a minute warm); a line per 100 packages"
# -X version.dev=no, as Terraform's release builds do: without it the binary says "$version-dev".
if ! go build -v -trimpath -ldflags "-X $module/version.dev=no" -o "$bin.tmp" . 2>&1 | awk '
	/ |^#/ { print; fflush(); next }
	{ if (++n % 100 == 0) { printf "terraform.sh: %d packages compiled (%s)\n", n, $0; fflush() } }' >&2; then
  fail "go build failed (output above); a package may still import a dropped backend"
fi
mv "$bin.tmp" "$bin"
cd "$dir" # out of src, which goes: terraform fails in a deleted working directory
rm -rf "$dir/src"
say "built: $("$bin" version | head -n 1)"
echo "$bin"
