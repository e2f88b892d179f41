#!/usr/bin/env bash
# make testacc-terraform-latest and make testacc-opentofu: the whole provider suite under another
# CLI than the terraform on PATH, printing a line per test as it ends (as make test does), then
# how long it took.
#
#   scripts/testacc-cli.sh terraform-latest   Terraform CLI_TERRAFORM_LATEST, built with -tags terraformlatest
#   scripts/testacc-cli.sh opentofu           OpenTofu CLI_OPENTOFU, built with -tags opentofu
#
# The versions come from the environment (make exports them) or scripts/cli-versions.env. The CLI
# is the binary TERRAFORM_LATEST_PATH or OPENTOFU_PATH names, which must be of that version (the
# GitHub workflow installs released ones), or else the one scripts/terraform.sh or
# scripts/opentofu.sh builds from source into a cache outside the repo (minutes the first time,
# printing progress; nothing after). TEST_PARALLEL is go test's -parallel, as for make test
# (default 4). It counts coverage as make test does, into coverage/data/terraform-latest or
# coverage/data/opentofu, which make cover adds to make test's (scripts/coverage-data.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/coverage-data.sh
export CHECKPOINT_DISABLE=1

. scripts/cli-version.sh

case "${1:-}" in
terraform-latest)
	find_cli terraform "$(version CLI_TERRAFORM_LATEST)" "${TERRAFORM_LATEST_PATH:-}"
	tags=terraformlatest
	;;
opentofu)
	find_cli opentofu "$(version CLI_OPENTOFU)" "${OPENTOFU_PATH:-}"
	tags=opentofu
	# OpenTofu's registry host is registry.opentofu.org, and it wants TF_CLI_CONFIG_FILE to name
	# a file, even an empty one.
	export TF_ACC_PROVIDER_HOST=registry.opentofu.org
	TF_CLI_CONFIG_FILE="$(mktemp "${TMPDIR:-/tmp}/glossi-tofu.XXXXXX")"
	export TF_CLI_CONFIG_FILE
	trap 'rm -f "$TF_CLI_CONFIG_FILE"' EXIT
	;;
*)
	echo "usage: scripts/testacc-cli.sh terraform-latest|opentofu" >&2
	exit 2
	;;
esac

export TF_ACC_TERRAFORM_PATH="$cli"

printf '==> go test -v -tags %s ./internal/provider on %s (%s): a line per test\n' "$tags" "$cli_says" "$cli"
started=$SECONDS
cover_start "$1"
status=0
go test -count=1 -parallel "${TEST_PARALLEL:-4}" -timeout 20m -tags "$tags" "${cover_flags[@]}" -v ./internal/provider "${cover_args[@]}" 2>&1 |
	grep --line-buffered -vE '^=== (RUN|PAUSE|CONT|NAME)|^ +--- (PASS|SKIP)' || status=$?
[ "$status" -ne 0 ] || cover_passed "$1"
printf '\n==> the provider suite on %s %s, measured: %d s (wall)\n' "$cli_says" \
	"$([ "$status" -eq 0 ] && echo passed || echo FAILED)" "$((SECONDS - started))"
exit "$status"
