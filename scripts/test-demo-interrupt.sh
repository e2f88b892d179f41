#!/usr/bin/env bash
# Checks that Ctrl-C during the demo stops everything it started, says
# "interrupted" and exits 130. For each STEP, the start of a demo step's title
# (default: the build, a terraform apply, a delivery being retried), it runs
# scripts/demo.sh in a process group of its own and, once that step has begun,
# sends SIGINT to the whole group, as a terminal does on Ctrl-C. Steps are
# named, not numbered, so adding a step to the demo does not move the test; a
# title that no longer exists fails it.
#
#   scripts/test-demo-interrupt.sh [STEP...]
set -euo pipefail
cd "$(dirname "$0")/.."

# A shell started in the background without job control, as by `( cmd & )`, ignores SIGINT, and
# so does every program it starts, the demo included: Ctrl-C cannot be tested from there.
if [ -n "$(trap -p INT)" ]; then
	echo "test-demo-interrupt: SIGINT is ignored in this shell (started in the background without job control?), so the demo would ignore Ctrl-C too; run it in the foreground" >&2
	exit 1
fi

OUT=$(mktemp "${TMPDIR:-/tmp}/demo-interrupt.XXXXXX")
trap 'rm -f "$OUT"' EXIT
fail() {
	printf 'test-demo-interrupt: %s\n--- demo output ---\n' "$*" >&2
	cat "$OUT" >&2
	exit 1
}

# step_begun STEP: whether the demo printed a step title ("==> N. TITLE") starting with STEP.
step_begun() {
	awk -v s="$1" 'sub(/^==> [0-9]+\. /, "") && index($0, s) == 1 { found = 1 } END { exit !found }' "$OUT"
}

# interrupt_at STEP: one demo run, interrupted once the step whose title starts with STEP has begun.
interrupt_at() {
	local STEP=$1 demo status work
	set -m # the demo gets a process group of its own, which the kill below targets
	bash scripts/demo.sh >"$OUT" 2>&1 &
	demo=$!
	set +m
	for _ in $(seq 3000); do # up to 5 minutes: the build may be cold
		step_begun "$STEP" && break
		kill -0 "$demo" 2>/dev/null || fail "the demo ended before the step '$STEP...'"
		sleep 0.1
	done
	step_begun "$STEP" || fail "the demo did not reach the step '$STEP...'"
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
	# pgrep exits 1 when nothing matches; anything else (a match, or no pgrep) fails the test.
	status=0
	pgrep -af -- "$work/" || status=$?
	[ "$status" -eq 1 ] || fail "processes of the demo are still running (or pgrep is missing: exit $status)"
	echo "ok: Ctrl-C during '$STEP...': 'demo interrupted', exit 130, nothing left running"
}

[ "$#" -gt 0 ] || set -- "Building the provider" "terraform apply: creating" "Stopping the receiver and triggering"
for step in "$@"; do
	interrupt_at "$step"
done
