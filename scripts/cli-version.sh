# shellcheck shell=bash
# Sourced by the scripts that pick a CLI version (and .ci/run), from any folder. version NAME:
# NAME from the environment if it is set (even empty: CLI_TERRAFORM_RELEASE_PROOF= drops the
# extra Terraform), else its line in scripts/cli-versions.env, the one place the versions are
# written.
cli_versions_env="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)/cli-versions.env"
version() { printf '%s\n' "${!1-$(sed -n "s/^$1=//p" "$cli_versions_env")}"; }
