#!/usr/bin/env bash
# readme-check: runs the shell blocks of the READMEs and DEVELOPMENT.md, so that they cannot rot.
#
#   scripts/readme-check.sh                  README.md, DEVELOPMENT.md, then examples/receiver/README.md
#   scripts/readme-check.sh FILE[:DIR] ...   other files; DIR (default: FILE's folder) is
#                                            where a reader is told to run the blocks
#
# The convention, for whoever edits a README:
# - Every fenced block whose info string is sh, bash or shell is run: all blocks of a file in
#   order, in one bash session (as a reader pastes them into one terminal: variables carry
#   over), from the folder the README tells the reader to run them in, exactly as written,
#   with `set -euo pipefail`. A command that fails fails the check, and so CI (.ci/run).
#   Other fences (go, hcl, js, python, php, text) are not run.
# - A block that cannot run here (a real registry install, an account, a command .ci/run
#   already runs such as `make demo` and `make test`) gets, on the line just above its
#   opening fence, a visible reason:
#       <!-- readme-check: skip (why it cannot run in CI, or which CI step covers it) -->
#   A skip without a reason fails the check.
# - Blocks run offline on loopback: listen on 127.0.0.1 (port 0 where a free port will do),
#   start servers from built binaries (`go build -o` first; `go run ... &` leaves the real
#   server running when killed), stop what you start, and keep scratch files in a
#   `mktemp -d` folder. The check runs each file in a process group of its own and kills
#   what is left when it ends, and gives each file READMECHECK_TIMEOUT (default 900 s).
# - GLOSSI_*, TF_CLI_CONFIG_FILE and TF_CLI_ARGS* are unset first: a block must set what it
#   uses. CHECKPOINT_DISABLE=1 is set.
set -euo pipefail
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TIMEOUT=${READMECHECK_TIMEOUT:-900}

# extract FILE LABEL: prints a bash script running FILE's shell blocks, each announced
# with its line number; exits 1 on a skip marker without a reason.
extract() {
	awk -v file="$2" '
		function fail(msg) { printf "readme-check: %s:%d: %s\n", file, NR, msg > "/dev/stderr"; bad = 1 }
		/^<!-- readme-check: skip/ {
			if ($0 !~ /^<!-- readme-check: skip \([^)]+\) -->$/) fail("write the reason: <!-- readme-check: skip (why) -->")
			skip = NR; next
		}
		!inblock && /^```/ {
			inblock = 1; lang = substr($0, 4); gsub(/[ \t].*/, "", lang)
			run = (lang == "sh" || lang == "bash" || lang == "shell")
			if (run && skip == NR - 1) { run = 0; skipped++ }
			if (run) { blocks++; printf "printf '\''\\n=== readme-check: %s block at line %d\\n'\'' >&2\nREADMECHECK_BLOCK=%d\n", file, NR, NR }
			next
		}
		inblock && /^```[ \t]*$/ { inblock = 0; next }
		inblock && run { print; next }
		{ if ($0 !~ /^[ \t]*$/) skip = 0 }
		END {
			if (inblock) fail("a fence is not closed")
			printf "printf '\''\\n=== readme-check: %s: %d block(s) ran, %d skipped with a reason\\n'\'' >&2\n", file, blocks, skipped
			exit bad
		}' "$1"
}

# check FILE DIR: runs FILE's blocks in DIR; fails if one fails.
check() {
	local file=$1 dir=$2 script status=0
	script=$(mktemp "${TMPDIR:-/tmp}/readme-check.XXXXXX")
	{
		echo 'set -euo pipefail'
		printf '%s\n' "trap 'printf \"\\nreadme-check: FAILED: %s, block at line %s: \\\`%s\\\` exited %s\\n\" \"$file\" \"\$READMECHECK_BLOCK\" \"\$BASH_COMMAND\" \"\$?\" >&2' ERR"
		extract "$ROOT/$file" "$file"
	} >"$script" || { rm -f "$script"; return 1; }
	set -m # a process group of its own, killed below with whatever a block left running
	(
		cd "$dir"
		exec env -u GLOSSI_BASE_URL -u GLOSSI_API_KEY -u GLOSSI_WEBHOOK_SECRET -u TF_CLI_CONFIG_FILE \
			-u TF_CLI_ARGS -u TF_CLI_ARGS_apply -u TF_CLI_ARGS_destroy CHECKPOINT_DISABLE=1 \
			timeout "$TIMEOUT" bash "$script" 2>&1
	) &
	local pid=$!
	set +m
	wait "$pid" || status=$?
	kill -- "-$pid" 2>/dev/null || true
	rm -f "$script"
	[ "$status" -eq 0 ] || { printf 'readme-check: %s failed (exit status %d)\n' "$file" "$status" >&2; return 1; }
}

# self_test: a failing block and a reasonless skip must fail the check.
# shellcheck disable=SC2016 # the backticks are Markdown fences, not expansions
self_test() {
	local dir
	dir=$(mktemp -d "${TMPDIR:-/tmp}/readme-check-self.XXXXXX")
	printf '# t\n\n```sh\ntrue\n```\n\n```sh\nfalse\necho not reached\n```\n' >"$dir/fails.md"
	printf '# t\n\n<!-- readme-check: skip -->\n```sh\ntrue\n```\n' >"$dir/noreason.md"
	printf '# t\n\n<!-- readme-check: skip (no account here) -->\n```sh\nfalse\n```\n\n```go\nnot shell\n```\n' >"$dir/ok.md"
	local ok=1
	(ROOT=$dir check fails.md "$dir") >/dev/null 2>&1 && { echo "readme-check: self-test: a failing block passed" >&2; ok=0; }
	(ROOT=$dir check noreason.md "$dir") >/dev/null 2>&1 && { echo "readme-check: self-test: a skip without a reason passed" >&2; ok=0; }
	(ROOT=$dir check ok.md "$dir") >/dev/null 2>&1 || { echo "readme-check: self-test: a skipped block or a go block was run" >&2; ok=0; }
	rm -rf "$dir"
	[ "$ok" -eq 1 ]
}

self_test
[ "$#" -gt 0 ] || set -- README.md DEVELOPMENT.md examples/receiver/README.md
for arg in "$@"; do
	file=${arg%%:*}
	dir=$ROOT/$(dirname "$file")
	[[ $arg == *:* ]] && dir=$ROOT/${arg#*:}
	check "$file" "$dir"
done
echo "readme-check: ok: $*"
