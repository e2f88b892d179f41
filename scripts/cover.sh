#!/usr/bin/env bash
# make cover: the statement coverage of each package of the module, counted over every way the
# code runs in the tests: in the test binaries (the provider served in-process to terraform
# through ProtoV6ProviderFactories, and every other package's tests) and in the provider binary
# that the CLI tests build with -cover and run under dev_overrides. It merges (go tool covdata)
# the data that make test wrote into coverage/data (scripts/coverage-data.sh), with that of make
# testacc-terraform-latest and make testacc-opentofu when they ran on the same sources, and runs
# make test first only when it has no data of these sources. Prints one figure per package and
# the total, and writes into coverage/ (ignored by git):
#   index.html     the report to read: every file, its lines coloured covered or not
#   profile.txt    the merged profile (go tool cover's text format)
#   functions.txt  the coverage of every function (go tool cover -func)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/coverage-data.sh

sources=$(sources_sha256)
if ! cover_fresh test "$sources"; then
	printf '==> no coverage data of these sources from a passing make test: running it first\n\n'
	bash scripts/test.sh
	printf '\n'
fi

inputs=$COVER_DATA/test
counted="make test"
for run in terraform-latest opentofu; do
	if cover_fresh "$run" "$sources"; then
		inputs+=,$COVER_DATA/$run
		counted+=", make testacc-$run"
	fi
done

out=$PWD/coverage
go tool covdata textfmt -i="$inputs" -o "$out/profile.txt"
go tool cover -func="$out/profile.txt" >"$out/functions.txt"
go tool cover -html="$out/profile.txt" -o "$out/index.html"

module=$(go list -m)
printf '==> statements covered per package: %s, in the test binaries and the provider binary\n' "$counted"
go tool covdata percent -i="$inputs" | awk -v module="$module" '{
	name = $1 == module ? "." : substr($1, length(module) + 2)
	printf "    %-28s %6s\n", name, $3
}'
awk '$1 == "total:" { printf "    %-28s %6s\n", "all of them", $3 }' "$out/functions.txt"
printf '    report: %s\n' "$out/index.html"
