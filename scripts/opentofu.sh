#!/usr/bin/env bash
# Builds OpenTofu from source through the Go module proxy into a cache folder outside the repo
# and prints the binary's path. A second run reuses the binary.
#
# OpenTofu is not `go install`-able: its go.mod has a replace directive (hcl/v2 => OpenTofu's
# fork), and replace directives only apply in the main module. So we build ./cmd/tofu from a
# small wrapper module that requires OpenTofu and repeats its replace lines, read from the
# go.mod the proxy serves for that version.
#
#   OPENTOFU_VERSION  the version to build, X.Y.Z or vX.Y.Z (default: CLI_OPENTOFU, from the
#                     environment or scripts/cli-versions.env: scripts/cli-version.sh)
#   OPENTOFU_CACHE    where to build and keep it (default ${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-glossi/opentofu)
set -euo pipefail

. "$(dirname "$0")/cli-version.sh"
version="${OPENTOFU_VERSION:-$(version CLI_OPENTOFU)}"
version="v${version#v}" # the module version: vX.Y.Z
cache="${OPENTOFU_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/terraform-provider-glossi/opentofu}"
dir="$cache/$version"
bin="$dir/tofu"

if [ -x "$bin" ]; then
  echo "$bin"
  exit 0
fi

mkdir -p "$dir/wrapper"
cd "$dir/wrapper"
export GOFLAGS=-mod=mod
export GOWORK=off

# go mod download -json reports a failure in the JSON's "Error" field and exits 1.
if ! download="$(go mod download -json "github.com/opentofu/opentofu@$version")"; then
  echo "opentofu.sh: error: could not download github.com/opentofu/opentofu@$version: $(printf '%s' "$download" | sed -n 's/^[[:space:]]*"Error": "\(.*\)",*$/\1/p')" >&2
  exit 1
fi
modfile="$(printf '%s' "$download" | sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",$/\1/p')"
test -n "$modfile" || { echo "opentofu.sh: error: the Go module proxy named no go.mod for github.com/opentofu/opentofu@$version" >&2; exit 1; }
gover="$(sed -n 's/^go \([0-9.]*\)$/\1/p' "$modfile")"

{
  echo "module glossi.local/opentofu-build"
  echo
  echo "go $gover"
  echo
  echo "require github.com/opentofu/opentofu $version"
  echo
  grep '^replace ' "$modfile"
} >go.mod
cat >tools.go <<'GO'
//go:build tools

package build

import _ "github.com/opentofu/opentofu/cmd/tofu"
GO

say() { printf 'opentofu.sh: %s\n' "$*" >&2; }
say "resolving OpenTofu $version's dependencies through the Go module proxy (go mod tidy)"
go mod tidy >&2 2>&1 || true
say "building OpenTofu $version in $dir (minutes with a cold Go cache, seconds warm); a line per 100 packages"
# As OpenTofu's release builds do: without it the binary calls itself "$version-dev".
if ! go build -v -trimpath -ldflags "-X 'github.com/opentofu/opentofu/version.dev=no'" \
  -o "$bin.tmp" github.com/opentofu/opentofu/cmd/tofu 2>&1 | awk '
	/ |^#/ { print; fflush(); next }
	{ if (++n % 100 == 0) { printf "opentofu.sh: %d packages compiled (%s)\n", n, $0; fflush() } }' >&2; then
  say "error: go build failed (output above)"
  exit 1
fi
mv "$bin.tmp" "$bin"
echo "$bin"
