#!/usr/bin/env bash
# make demo: the whole webhook loop on this machine, offline, with no Glossi account.
#
# Builds the provider, glossi-sandbox and the example receiver; starts the sandbox
# and the receiver on free loopback ports; creates the webhook with Terraform
# (dev_overrides in a temporary CLI config, never ~/.terraformrc); sends signed
# deliveries and shows the receiver verifying them; shows a failing delivery being
# retried and counted; rotates the secret; destroys. Every step checks what it
# claims and the script exits non-zero if one does not hold. Everything it starts
# is stopped on exit, failure or Ctrl-C (which exits 130, saying "interrupted").
set -euo pipefail

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset TF_CLI_ARGS TF_CLI_ARGS_apply TF_CLI_ARGS_destroy TF_WORKSPACE

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TERRAFORM=${TERRAFORM:-$(command -v terraform || true)}
TIME_SCALE=100 # the sandbox runs its retry schedule (internal/sandbox/schedule.go) this many times faster

step_no=0
step() { step_no=$((step_no + 1)); printf '\n==> %d. %s\n' "$step_no" "$*"; }
say() { printf '    %s\n' "$*"; }
ok() { printf '    ok: %s\n' "$*"; }
indent() { sed 's/^/    | /'; }
die() {
	if interrupt_seen; then
		interrupted=SIGINT
		exit 130
	fi
	printf '\ndemo FAILED at step %d: %s\n' "$step_no" "$*" >&2
	exit 1
}

# interrupt_seen: whether Ctrl-C reached the sandbox, which nothing else shuts
# down while SANDBOX_PID is set (the last step clears it before stopping it). A program that handles Ctrl-C and exits 1 (Go's
# signal.NotifyContext) can make bash skip its INT trap, and the check that
# fails next would call die.
interrupt_seen() {
	[ -n "${SANDBOX_PID:-}" ] || return 1
	wait_for_line "$WORK/sandbox.log" 'shutting down' "$SANDBOX_PID" 1
}

[ -n "$TERRAFORM" ] || die "terraform is not on PATH: install Terraform (a version of CLI_TERRAFORM_MATRIX in scripts/cli-versions.env); this script never downloads it"
command -v go >/dev/null || die "go is not on PATH"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/glossi-demo.XXXXXX")
BIN=$WORK/bin
SANDBOX_PID=""
RECEIVER_PID=""
TICKER_PID=""
receiver_runs=0

interrupted=""

# A trap runs with the redirections of the command it interrupts (a terraform
# whose output goes to a log file, say): cleanup writes to fd 3, the stderr the
# demo started with.
exec 3>&2

cleanup() {
	local status=$?
	trap - EXIT INT TERM
	# bash 5.2 may run the INT trap while it parses the $( ) it is expanding, fail to parse the
	# trap ("interrupt trap: unexpected EOF while looking for matching `)'") and exit 2: the
	# interrupt is then known by the sandbox having seen it too.
	if [ "$status" -ne 0 ] && [ -z "$interrupted" ] && interrupt_seen; then
		interrupted=SIGINT
		status=130
	fi
	stop_ticker
	stop_receiver
	if [ -n "$SANDBOX_PID" ]; then
		kill "$SANDBOX_PID" 2>/dev/null || true
		wait "$SANDBOX_PID" 2>/dev/null || true
	fi
	if [ -n "$interrupted" ]; then
		printf '\ndemo interrupted (%s) at step %d; everything it started is stopped.\n' "$interrupted" "$step_no" >&3
	elif [ "$status" -ne 0 ] && [ -d "$WORK" ]; then
		for f in "$WORK"/sandbox.log "$WORK"/receiver-*.log "$WORK"/tf-*.log; do
			[ -s "$f" ] || continue
			printf '\n--- last lines of %s ---\n' "${f#"$WORK"/}" >&3
			tail -n 15 "$f" >&3
		done
	fi
	rm -rf "$WORK"
	exit "$status"
}
trap cleanup EXIT
# Ctrl-C reaches the programs the demo runs too. When one of them fails first and
# a check calls die, die sees the interrupt (interrupt_seen) and exits as these do.
trap 'interrupted=SIGINT; exit 130' INT
trap 'interrupted=SIGTERM; exit 143' TERM

# wait_for_line FILE REGEX PID [SECONDS]: waits up to SECONDS (10) for a line
# matching REGEX in FILE while process PID runs.
wait_for_line() {
	for _ in $(seq "$((${4:-10} * 10))"); do
		grep -qE "$2" "$1" 2>/dev/null && return 0
		kill -0 "$3" 2>/dev/null || return 1
		sleep 0.1
	done
	return 1
}

# start_receiver SECRET ADDR [ARGS...]: starts the example receiver; sets RECEIVER_PID,
# RECEIVER_LOG and RECEIVER_URL. The secret travels in the environment only.
start_receiver() {
	receiver_runs=$((receiver_runs + 1))
	RECEIVER_LOG=$WORK/receiver-$receiver_runs.log
	GLOSSI_WEBHOOK_SECRET=$1 "$BIN/receiver" --addr "$2" "${@:3}" >"$RECEIVER_LOG" 2>&1 &
	RECEIVER_PID=$!
	wait_for_line "$RECEIVER_LOG" '^http://' "$RECEIVER_PID" || die "the receiver did not start: $(tail -n 3 "$RECEIVER_LOG")"
	RECEIVER_URL=$(grep -m1 '^http://' "$RECEIVER_LOG")
}

stop_receiver() {
	if [ -n "$RECEIVER_PID" ]; then
		kill "$RECEIVER_PID" 2>/dev/null || true
		wait "$RECEIVER_PID" 2>/dev/null || true
		RECEIVER_PID=""
	fi
}

tf() { "$TERRAFORM" -chdir="$WORK/tf" "$@"; }

# tf_logged NAME ARGS...: runs terraform, keeping its output in tf-NAME.log.
tf_logged() {
	local name=$1
	shift
	tf "$@" -no-color >"$WORK/tf-$name.log" 2>&1 || die "terraform $* failed: $(grep -m3 -E 'Error' "$WORK/tf-$name.log" || tail -n 5 "$WORK/tf-$name.log")"
	grep -E '^(Apply complete|Destroy complete|No changes)' "$WORK/tf-$name.log" | indent || true
}

# build OUT PACKAGE: go build, printing a line every 25 packages compiled (go build -v names
# each one), every other line (downloads, errors) as it comes, and every 15 s while nothing
# else shows (linking prints nothing, and is most of a warm build).
build() {
	local name=${1##*/} status=0
	say "go build $2 (-> $name)"
	start_ticker "still building $name"
	(cd "$ROOT" && go build -v -o "$1" "$2") 2>&1 | awk '
		/ |^#/ { print "    | " $0; fflush(); next }
		{ if (++n % 25 == 0) { printf "    | %d packages compiled (%s)\n", n, $0; fflush() } }' || status=$?
	stop_ticker
	return "$status"
}

# start_ticker WHAT: prints "WHAT (N s)" every 15 s until stop_ticker.
start_ticker() {
	local started=$SECONDS
	while sleep 15; do say "... $1 ($((SECONDS - started)) s)"; done &
	TICKER_PID=$!
}

stop_ticker() {
	if [ -n "$TICKER_PID" ]; then
		kill "$TICKER_PID" 2>/dev/null || true
		wait "$TICKER_PID" 2>/dev/null || true
		TICKER_PID=""
	fi
}

# output_or_none NAME: the output's value, or "none" when it is null. Terraform keeps no null
# outputs, and `terraform output NAME` fails on one with a red "Output not found" box; the
# listing of every output leaves them out.
output_or_none() {
	local all
	all=$(tf output -no-color) || die "terraform output failed"
	if grep -q "^$1 = " <<<"$all"; then tf output -raw "$1"; else echo none; fi
}

# Not for serve: a background function would be a subshell, and $! its pid.
sandbox_cmd() { "$BIN/glossi-sandbox" "$@"; }

# ---------------------------------------------------------------------------

step "Building the provider, glossi-sandbox and the example receiver into a temporary folder"
say "folder: $BIN"
say "with an empty Go cache this downloads the Go modules and compiles about 440 packages (the standard library included):"
say "minutes on 2 cores; with a warm cache, seconds of linking. DEVELOPMENT.md has measured times."
started=$SECONDS
build "$BIN/terraform-provider-glossi" . || die "go build . failed"
build "$BIN/glossi-sandbox" ./cmd/glossi-sandbox || die "go build ./cmd/glossi-sandbox failed"
build "$BIN/receiver" ./examples/receiver || die "go build ./examples/receiver failed"
build_seconds=$((SECONDS - started))
ok "built in $build_seconds s"
started=$SECONDS

step "Starting the Glossi sandbox on a free loopback port (new secret on every update, retries $TIME_SCALE times faster)"
"$BIN/glossi-sandbox" serve --addr 127.0.0.1:0 --rotate-secret-on-update --time-scale "$TIME_SCALE" \
	--state "$WORK/sandbox-state.json" >"$WORK/sandbox.out" 2>"$WORK/sandbox.log" &
SANDBOX_PID=$!
wait_for_line "$WORK/sandbox.out" '^export GLOSSI_API_KEY=' "$SANDBOX_PID" || die "the sandbox did not start: $(cat "$WORK/sandbox.log")"
indent <"$WORK/sandbox.out"
GLOSSI_BASE_URL=$(sed -n 's/^export GLOSSI_BASE_URL=//p' "$WORK/sandbox.out")
GLOSSI_API_KEY=$(sed -n 's/^export GLOSSI_API_KEY=//p' "$WORK/sandbox.out")
export GLOSSI_BASE_URL GLOSSI_API_KEY
[[ $GLOSSI_BASE_URL == http://127.0.0.1:*/api/v1 ]] || die "unexpected base_url $GLOSSI_BASE_URL"
ok "the provider and glossi-sandbox trigger use GLOSSI_BASE_URL=$GLOSSI_BASE_URL"

step "Finding a free loopback port for the receiver (starting it on port 0, then stopping it until the webhook exists)"
start_receiver "placeholder-until-terraform-creates-the-webhook" 127.0.0.1:0
WEBHOOK_URL=$RECEIVER_URL
RECEIVER_ADDR=${WEBHOOK_URL#http://}
RECEIVER_ADDR=${RECEIVER_ADDR%%/*}
stop_receiver
ok "the receiver will listen at $WEBHOOK_URL"

step "Writing a Terraform CLI config with dev_overrides for the freshly built provider (TF_CLI_CONFIG_FILE, not ~/.terraformrc)"
mkdir -p "$WORK/tf"
cp "$ROOT/examples/demo/main.tf" "$WORK/tf/main.tf"
cat >"$WORK/dev.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/glossi/glossi" = "$BIN"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE=$WORK/dev.tfrc
export TF_VAR_receiver_url=$WEBHOOK_URL
ok "$TF_CLI_CONFIG_FILE (no terraform init needed: dev_overrides)"

step "terraform apply: creating the webhook (examples/demo/main.tf) pointing at the receiver"
tf_logged apply-create apply -auto-approve -input=false
[ "$(tf output -raw webhook_url)" = "$WEBHOOK_URL" ] || die "the webhook does not point at the receiver"
OLD_SECRET=$(tf output -raw webhook_secret)
[[ $OLD_SECRET == whsec_* ]] || die "the webhook_secret output is not a webhook secret"
[ "$(tf output -raw failure_count)" = 0 ] || die "a new webhook should have no failures"
say "webhook $(tf output -raw webhook_id) -> $(tf output -raw webhook_url)"
ok "the signing secret is in the sensitive output webhook_secret (not printed here)"

step "Starting the receiver with that secret (terraform output -raw webhook_secret)"
start_receiver "$OLD_SECRET" "$RECEIVER_ADDR"
[ "$RECEIVER_URL" = "$WEBHOOK_URL" ] || die "the receiver came up at $RECEIVER_URL, not $WEBHOOK_URL"
ok "receiver listening at $RECEIVER_URL"

step "Triggering three events; the sandbox signs each delivery with the webhook secret"
for event in model.processed project.created render.complete; do
	out=$(sandbox_cmd trigger "$event" --wait first) || die "trigger $event was not delivered: $out"
	indent <<<"$out"
	grep -q "verified $event" "$RECEIVER_LOG" || die "the receiver did not log a verified $event"
done
say "the receiver's log:"
grep -E 'verified|rejected' "$RECEIVER_LOG" | indent
ok "the receiver verified all three signatures and answered 200"

step "Stopping the receiver and triggering job.failed: the sandbox retries after 0.6, 3 and 18 s, then gives up (about 22 s)"
stop_receiver
if out=$(sandbox_cmd trigger job.failed --wait all); then
	die "the delivery to a stopped receiver succeeded: $out"
fi
indent <<<"$out"
[ "$(grep -c 'connection refused' <<<"$out")" -eq 4 ] || die "expected 4 refused attempts"
grep -q 'failed after 4 attempts' <<<"$out" || die "the delivery was not reported as failed"
ok "4 attempts, all refused"

step "terraform apply -refresh-only: the data source shows the failure"
tf_logged refresh apply -refresh-only -auto-approve -input=false
failures=$(tf output -raw failure_count)
last_status=$(output_or_none last_response_status)
last_triggered=$(output_or_none last_triggered_at)
say "failure_count = $failures, last_response_status = $last_status (no receiver answered), last_triggered_at = $last_triggered"
[ "$failures" = 1 ] || die "failure_count is $failures, want 1"
ok "failure_count went from 0 to 1"

step "Rotating the secret while a delivery signed with the old one waits for its retry (the receiver is still down)"
if out=$(sandbox_cmd trigger project.created --wait first); then
	die "the delivery to a stopped receiver succeeded: $out"
fi
indent <<<"$out"
tf_logged apply-rotate apply -auto-approve -input=false -var secret_rotation=2
NEW_SECRET=$(tf output -raw webhook_secret)
[[ $NEW_SECRET == whsec_* ]] || die "no secret after the rotation"
[ "$NEW_SECRET" != "$OLD_SECRET" ] || die "the secret did not change"
[ "$(tf output -raw previous_secret)" = "$OLD_SECRET" ] || die "previous_secret is not the secret the rotation replaced"
[ "$(tf output -raw secret_version)" = 2 ] || die "secret_version is $(tf output -raw secret_version), want 2"
say "secret_version = 2, secret_rotated_at = $(tf output -raw secret_rotated_at), secret_fingerprint = $(tf output -raw secret_fingerprint)"
ok "a new secret; the old one is previous_secret (neither printed); project.created waits for its retry, signed with the old one"

step "Giving the receiver secret, previous_secret and secret_rotated_at as files (--secret-dir, like a mounted Kubernetes Secret)"
SECRETS=$WORK/secrets
(umask 077 && mkdir "$SECRETS")
for name in secret previous_secret secret_rotated_at; do
	output=$name
	[ "$name" = secret ] && output=webhook_secret
	(umask 077 && tf output -raw "$output" >"$SECRETS/$name")
done
start_receiver "" "$RECEIVER_ADDR" --secret-dir "$SECRETS"
grep -m1 'verifying with' "$RECEIVER_LOG" | indent
grep -q "verifying with.*$(tf output -raw secret_fingerprint)" "$RECEIVER_LOG" || die "the receiver's fingerprint is not secret_fingerprint"
ok "the receiver accepts the new secret, and the old one until an hour after secret_rotated_at; its fingerprint matches secret_fingerprint"

step "Triggering model.failed (signed with the new secret); the retry of project.created (signed with the old one) is accepted too"
out=$(sandbox_cmd trigger model.failed --wait first) || die "model.failed was not delivered: $out"
indent <<<"$out"
grep -q 'verified model.failed' "$RECEIVER_LOG" || die "the receiver did not verify model.failed"
wait_for_line "$RECEIVER_LOG" 'verified project.created' "$RECEIVER_PID" 30 || die "the sandbox's retry of project.created was not delivered"
say "the receiver's log:"
grep -E 'verified|rejected' "$RECEIVER_LOG" | indent
! grep -q 'rejected' "$RECEIVER_LOG" || die "the receiver refused a delivery during the rotation"
ok "both accepted, none refused: the retry signed with the old secret got through after the rotation"

step "terraform destroy"
tf_logged destroy destroy -auto-approve -input=false
if out=$(sandbox_cmd trigger model.processed 2>&1); then
	die "the sandbox still delivers after destroy: $out"
fi
indent <<<"$out"
grep -q 'no_webhook' <<<"$out" || die "the sandbox should refuse: no webhook"
ok "the account has no webhook any more"

step "Stopping the receiver and the sandbox"
stop_receiver
sandbox_pid=$SANDBOX_PID
SANDBOX_PID=""
kill "$sandbox_pid"
wait "$sandbox_pid" || die "the sandbox did not stop cleanly"
grep -q 'stopped' "$WORK/sandbox.log" || die "the sandbox did not log its shutdown"
ok "everything stopped"

printf '\nDemo complete: every step did what it said. Measured: the build %d s, the %d steps after it %d s.\n' \
	"$build_seconds" "$((step_no - 1))" "$((SECONDS - started))"
