#!/usr/bin/env bash
# Checks that Ctrl-C during the demo stops everything it started, says
# "interrupted" and exits 130. For each STEP (default: 1, the build; 5, a
# terraform apply; 8, a delivery being retried) it runs scripts/demo.sh in a
# process group of its own and, once that step has begun, sends SIGINT to the
# whole group, as a terminal does on Ctrl-C.
#
#   scripts/test-demo-interrupt.sh [STEP...]
set -euo pipefail
cd "$(dirname "$0")/.."

OUT=$(mktemp "${TMPDIR:-/tmp}/demo-interrupt.XXXXXX")
trap 'rm -f "$OUT"' EXIT
fail() {
	printf 'test-demo-interrupt: %s\n--- demo output ---\n' "$*" >&2
	cat "$OUT" >&2
	exit 1
}

# interrupt_at STEP: one demo run, interrupted once STEP has begun.
interrupt_at() {
	local STEP=$1 demo status work
	set -m # the demo gets a process group of its own, which the kill below targets
	bash scripts/demo.sh >"$OUT" 2>&1 &
	demo=$!
	set +m
	for _ in $(seq 3000); do # up to 5 minutes: the build may be cold
		grep -q "^==> $STEP\\. " "$OUT" && break
		kill -0 "$demo" 2>/dev/null || fail "the demo ended before step $STEP"
		sleep 0.1
	done
	grep -q "^==> $STEP\\. " "$OUT" || fail "the demo did not reach step $STEP"
	sleep 0.3
	kill -INT -- "-$demo"
	status=0
	wait "$demo" || status=$?

	work=$(sed -n 's|^    folder: \(.*\)/bin$|\1|p' "$OUT")
	[ "$status" -eq 130 ] || fail "exit status $status, want 130"
	grep -q "^demo interrupted (SIGINT) at step " "$OUT" || fail "no 'demo interrupted (SIGINT) at step N' line"
	! grep -q 'FAILED' "$OUT" || fail "an interrupt was reported as a failure"
	if [ -z "$work" ] || [ -e "$work" ]; then
		fail "the demo's folder ${work:-?} was not removed"
	fi
	sleep 0.5
	! ps -eo args= | grep -F "$work/" | grep -v grep || fail "processes of the demo are still running"
	echo "ok: Ctrl-C at step $STEP: 'demo interrupted', exit 130, nothing left running"
}

[ "$#" -gt 0 ] || set -- 1 5 8
for step in "$@"; do
	interrupt_at "$step"
done
