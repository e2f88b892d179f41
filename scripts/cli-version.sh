# Sourced by the scripts that pick a CLI version. version NAME: NAME from the environment if it is
# set (even empty: CLI_TERRAFORM_RELEASE_PROOF= drops the extra Terraform), else its line in
# scripts/cli-versions.env, the one place the versions are written.
version() { printf '%s\n' "${!1-$(sed -n "s/^$1=//p" scripts/cli-versions.env)}"; }
