#!/usr/bin/env bash
# The one list of CI steps. `make ci` runs them all (.ci/run calls it); each job of
# .github/workflows/test.yml runs one group (`make ci GROUPS=test`), so both CIs run the same
# targets. Stops at the first failing step and prints how long each step took.
#
#   scripts/ci.sh [GROUP...]     groups: checks demo test clis release cover (default: all, in that order)
#
# cover comes last: it reports the coverage that make test counted, with that of the clis group
# when it ran before it on the same sources (a test job of test.yml runs GROUPS="test cover").
set -euo pipefail
cd "$(dirname "$0")/.."

# GROUP: make targets, run in this order.
declare -A groups=(
	[checks]="vet lint docs-check release-check"
	[demo]="demo demo-interrupt readme-check"
	[test]="test test-race"
	[clis]="testacc-opentofu testacc-terraform-latest"
	[release]="release-dry-run release-reproducible release-install-proof"
	[cover]="cover"
)
order=(checks demo test clis release cover)

[ "$#" -gt 0 ] || set -- "${order[@]}"
for group in "$@"; do
	[ -n "${groups[$group]:-}" ] || { echo "ci.sh: unknown group '$group'; groups: ${order[*]}" >&2; exit 2; }
done

summary=()
print_summary() {
	[ "${#summary[@]}" -gt 0 ] || return 0
	printf '\n==> CI steps, measured (wall seconds on this machine)\n'
	printf '    %s\n' "${summary[@]}"
}
trap print_summary EXIT

for group in "$@"; do
	for target in ${groups[$group]}; do
		printf '\n==> make %s\n' "$target"
		start=$SECONDS
		status=0
		make --no-print-directory "$target" || status=$?
		summary+=("$(printf '%-26s %5d s  %s' "$target" "$((SECONDS - start))" "$([ "$status" -eq 0 ] && echo ok || echo "FAILED ($status)")")")
		[ "$status" -eq 0 ] || exit "$status"
	done
done
