# shellcheck shell=bash
# Sourced by the scripts that pick a CLI version (and .ci/run), from any folder.
scripts_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# version NAME: NAME from the environment if it is set (even empty: CLI_TERRAFORM_RELEASE_PROOF=
# drops the extra Terraform), else its line in scripts/cli-versions.env, the one place the
# versions are written.
version() { printf '%s\n' "${!1-$(sed -n "s/^$1=//p" "$scripts_dir/cli-versions.env")}"; }

# find_cli terraform|opentofu VERSION [PATH]: the CLI at VERSION (X.Y.Z), checked. It is PATH if
# not empty (a released one, as the GitHub workflow installs), else the one scripts/terraform.sh
# or scripts/opentofu.sh builds from source into a cache outside the repo (minutes the first
# time, printing progress; nothing after). Sets cli, its path, and cli_says, the first line of
# its `version`; fails, saying so, when that names another version.
find_cli() {
	local name build
	case $1 in
	terraform) name=Terraform build=terraform.sh ;;
	opentofu) name=OpenTofu build=opentofu.sh ;;
	*) echo "cli-version.sh: find_cli: no CLI named '$1'" >&2; return 2 ;;
	esac
	cli=${3:-}
	if [ -z "$cli" ]; then
		cli=$(TERRAFORM_VERSION=$2 OPENTOFU_VERSION=$2 bash "$scripts_dir/$build") || return
	fi
	# The first line of `version`, without a pipe into head: under pipefail, the CLI killed by
	# SIGPIPE would end the script. An empty CLI configuration: OpenTofu warns first, on stdout,
	# of a TF_CLI_CONFIG_FILE that does not exist.
	cli_says=$(TF_CLI_CONFIG_FILE=/dev/null "$cli" version 2>/dev/null) || true
	cli_says=${cli_says%%$'\n'*}
	if [ "$cli_says" != "$name v${2#v}" ]; then
		echo "${0##*/}: error: $cli is ${cli_says:-no CLI (its version command fails)}, not $name v${2#v} (scripts/cli-versions.env)" >&2
		return 1
	fi
}
