#!/usr/bin/env bash
# make bench-accounts: how long `terraform plan` takes for N webhooks in N accounts, with one
# aliased provider block per account ("aliases": Terraform starts a plugin process for each)
# against one provider block with api_keys ("api_keys": one process). Both plan the same
# webhooks of one local glossi-sandbox, each from its own state (imported once, untimed); the
# plans only refresh. Every round times each N once per variant, the variant that goes first
# alternating from round to round; the table gives the median of the rounds.
#
#   BENCH_SIZES   the values of N (default "1 10 50")
#   BENCH_ROUNDS  rounds (default 3)
#   TERRAFORM     the terraform to time (default: the one on PATH)
set -euo pipefail

export CHECKPOINT_DISABLE=1 TF_IN_AUTOMATION=1
unset TF_CLI_ARGS TF_CLI_ARGS_plan TF_WORKSPACE GLOSSI_API_KEY GLOSSI_BASE_URL

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TERRAFORM=${TERRAFORM:-$(command -v terraform || true)}
SIZES=${BENCH_SIZES:-"1 10 50"}
ROUNDS=${BENCH_ROUNDS:-3}

say() { printf 'bench-accounts: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }
[ -x "$TERRAFORM" ] || die "terraform is not on PATH (or TERRAFORM is not executable)"

WORK=$(mktemp -d)
SANDBOX_PID=
cleanup() {
	[ -z "$SANDBOX_PID" ] || kill "$SANDBOX_PID" 2>/dev/null || true
	[ -n "${BENCH_KEEP:-}" ] || rm -rf "$WORK"
}
trap cleanup EXIT

max=0
for n in $SIZES; do [ "$n" -le "$max" ] || max=$n; done
key() { printf 'bench-key-%03d' "$1"; }
webhook_id() { printf '00000000-0000-4000-8000-%012d' "$1"; }

say "building the provider and glossi-sandbox"
(cd "$ROOT" && go build -o "$WORK/bin/terraform-provider-glossi" . && go build -o "$WORK/bin/glossi-sandbox" ./cmd/glossi-sandbox)

say "starting glossi-sandbox with $max accounts, each with a webhook"
{
	printf '{"version": 1, "accounts": ['
	for i in $(seq 1 "$max"); do
		[ "$i" = 1 ] || printf ','
		printf '{"apiKey": "%s", "webhook": {"id": "%s", "url": "https://hooks.example.com/a%d", "secret": "whsec_bench%d", "events": ["render.complete"], "enabled": true, "failureCount": 0}}' \
			"$(key "$i")" "$(webhook_id "$i")" "$i" "$i"
	done
	printf ']}\n'
} >"$WORK/sandbox.json"
"$WORK/bin/glossi-sandbox" serve --addr 127.0.0.1:0 --state "$WORK/sandbox.json" >"$WORK/sandbox.out" 2>"$WORK/sandbox.log" &
SANDBOX_PID=$!
for _ in $(seq 1 100); do
	grep -q '^export GLOSSI_BASE_URL=' "$WORK/sandbox.out" 2>/dev/null && break
	sleep 0.1
done
BASE_URL=$(sed -n 's/^export GLOSSI_BASE_URL=//p' "$WORK/sandbox.out")
[ -n "$BASE_URL" ] || die "the sandbox did not start: $(cat "$WORK/sandbox.log")"

cat >"$WORK/dev.tfrc" <<EOF
provider_installation {
  dev_overrides {
    "registry.terraform.io/glossi/glossi" = "$WORK/bin"
  }
  direct {}
}
EOF
export TF_CLI_CONFIG_FILE=$WORK/dev.tfrc

# write_config VARIANT N DIR: N webhooks, each imported, in one provider per account or one for all.
write_config() {
	local variant=$1 n=$2 dir=$3 i
	mkdir -p "$dir"
	{
		printf 'terraform {\n  required_providers {\n    glossi = { source = "glossi/glossi" }\n  }\n}\n'
		if [ "$variant" = api_keys ]; then
			printf 'provider "glossi" {\n  base_url = "%s"\n  api_keys = {\n' "$BASE_URL"
			for i in $(seq 1 "$n"); do printf '    a%d = "%s"\n' "$i" "$(key "$i")"; done
			printf '  }\n}\n'
		fi
		for i in $(seq 1 "$n"); do
			if [ "$variant" = aliases ]; then
				printf 'provider "glossi" {\n  alias    = "a%d"\n  api_key  = "%s"\n  base_url = "%s"\n}\n' "$i" "$(key "$i")" "$BASE_URL"
				printf 'resource "glossi_webhook" "a%d" {\n  provider = glossi.a%d\n' "$i" "$i"
				printf 'import {\n  provider = glossi.a%d\n  to = glossi_webhook.a%d\n  id = "%s"\n}\n' "$i" "$i" "$(webhook_id "$i")" >>"$dir/imports.tf"
			else
				printf 'resource "glossi_webhook" "a%d" {\n  account = "a%d"\n' "$i" "$i"
				printf 'import {\n  to = glossi_webhook.a%d\n  id = "a%d/%s"\n}\n' "$i" "$i" "$(webhook_id "$i")" >>"$dir/imports.tf"
			fi
			printf '  url    = "https://hooks.example.com/a%d"\n  events = ["render.complete"]\n}\n' "$i"
		done
	} >"$dir/main.tf"
}

for n in $SIZES; do
	for variant in aliases api_keys; do
		dir="$WORK/$variant-$n"
		write_config "$variant" "$n" "$dir"
		say "importing $n webhook(s) into the state of $variant (untimed)"
		(cd "$dir" && "$TERRAFORM" apply -auto-approve -no-color -input=false >"$dir/import.log" 2>&1) || die "import failed: $(tail -20 "$dir/import.log")"
		rm "$dir/imports.tf"
		(cd "$dir" && "$TERRAFORM" plan -detailed-exitcode -no-color -input=false >"$dir/check.log" 2>&1) ||
			die "$variant with N=$n does not plan empty after the import: $(tail -20 "$dir/check.log")"
	done
done

# time_plan DIR: prints the seconds terraform plan took in DIR.
time_plan() {
	local start end
	start=$(date +%s.%N)
	(cd "$1" && "$TERRAFORM" plan -detailed-exitcode -no-color -input=false >"$1/plan.log" 2>&1) || die "plan failed in $1: $(tail -20 "$1/plan.log")"
	end=$(date +%s.%N)
	echo "$end - $start" | bc
}

: >"$WORK/times"
for round in $(seq 1 "$ROUNDS"); do
	order="aliases api_keys"
	[ $((round % 2)) = 1 ] || order="api_keys aliases"
	for n in $SIZES; do
		for variant in $order; do
			s=$(time_plan "$WORK/$variant-$n")
			echo "$n $variant $s" >>"$WORK/times"
			say "round $round/$ROUNDS: N=$n $variant: $(printf %.2f "$s") s"
		done
	done
done

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
printf '\nterraform plan, median of %s rounds (%s; %s cores, load average %s)\n\n' "$ROUNDS" \
	"$("$TERRAFORM" version | head -n 1)" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '| N webhooks | N aliases | one provider, api_keys | aliases / api_keys |\n|---:|---:|---:|---:|\n'
for n in $SIZES; do
	a=$(awk -v n="$n" '$1 == n && $2 == "aliases" { print $3 }' "$WORK/times" | median)
	k=$(awk -v n="$n" '$1 == n && $2 == "api_keys" { print $3 }' "$WORK/times" | median)
	printf '| %d | %.2f s | %.2f s | %.1fx |\n' "$n" "$a" "$k" "$(echo "$a / $k" | bc -l)"
done
