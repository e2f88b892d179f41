#!/usr/bin/env bash
# make test: the whole suite, offline, showing progress, then how long each part took.
# The acceptance tests of internal/provider are most of the time: that package runs with -v in
# the foreground (go test streams -v output only for a single package), printing a line per
# test as it ends, while the other packages run beside it; their output follows. go test's
# closing lines ("ok", "FAIL") are kept for CI.
#
# It counts coverage on the way, into coverage/data/test, for make cover to report: every test
# binary, and the provider binary that the CLI tests build with -cover (scripts/coverage-data.sh).
#
#   TEST_PARALLEL  how many acceptance tests run at once (go test -parallel; default 4: they
#                  wait on terraform processes much of the time)
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/coverage-data.sh

slow=./internal/provider
others=$(go list ./... | grep -vx "$(go list "$slow")")
# Every package the tests import, compiled first with progress: go test compiles silently.
deps=$(go list -deps -test -f '{{if and (not .ForTest) (ne .Name "main")}}{{.ImportPath}}{{end}}' ./... | grep -v '^$')

started=$SECONDS
printf '==> compiling the packages the tests import (a line per 25; nothing to do when the Go cache is warm)\n'
# shellcheck disable=SC2086 # one argument per package
go build -v $deps 2>&1 | awk '
	/ |^#/ { print "    | " $0; fflush(); next }
	{ if (++n % 25 == 0) { printf "    | %d packages compiled (%s)\n", n, $0; fflush() } }'
compiled=$SECONDS

cover_start test

others_out=$(mktemp "${TMPDIR:-/tmp}/glossi-test.XXXXXX")
others_pid=""
trap '[ -z "$others_pid" ] || kill "$others_pid" 2>/dev/null || true; rm -f "$others_out"' EXIT
# shellcheck disable=SC2086 # one argument per package
go test -count=1 -timeout 20m "${cover_flags[@]}" $others "${cover_args[@]}" >"$others_out" 2>&1 &
others_pid=$!

printf '\n==> go test -v %s: acceptance tests through the real terraform CLI, a line per test;\n' "$slow"
printf '    the other packages run beside it, their results follow\n'
status=0
go test -count=1 -timeout 20m -parallel "${TEST_PARALLEL:-4}" "${cover_flags[@]}" -v "$slow" "${cover_args[@]}" 2>&1 |
	grep --line-buffered -vE '^=== (RUN|PAUSE|CONT|NAME)|^ +--- (PASS|SKIP)' || status=$?
provider_done=$SECONDS

printf '\n==> go test: every package but %s\n' "$slow"
wait "$others_pid" || status=$?
others_pid=""
cat "$others_out"
finished=$SECONDS
[ "$status" -ne 0 ] || cover_passed test

printf '\n==> make test %s, measured: compiling %d s; %s %d s; everything %d s (wall)\n' \
	"$([ "$status" -eq 0 ] && echo passed || echo FAILED)" "$((compiled - started))" "$slow" \
	"$((provider_done - compiled))" "$((finished - started))"
echo "    coverage counted into coverage/data/test, for make cover (go test's figures above are each"
echo "    test binary's alone, without the provider binary that the CLI tests run)"
exit "$status"
