#!/usr/bin/env bash
# make test: the whole suite, offline, showing progress. The acceptance tests of
# internal/provider take minutes, so that package runs alone with -v (go test
# streams -v output only for a single package) and a line is printed per test
# as it ends. go test's closing lines ("ok", "FAIL", "PASS") are kept for CI.
set -euo pipefail
cd "$(dirname "$0")/.."

# Measured on a 2-core machine shared with other builds (README.md, "How long things take").
TEST_TIME_OTHERS_COLD="about 3 minutes"
TEST_TIME_OTHERS_WARM="about 30 s"
TEST_TIME_SLOW_COLD="about 5 minutes"
TEST_TIME_SLOW_WARM="about 3 minutes"

slow=./internal/provider
others=$(go list ./... | grep -vx "$(go list "$slow")")

printf '==> go test: every package but %s (cold Go cache: %s; warm: %s)\n' "$slow" "$TEST_TIME_OTHERS_COLD" "$TEST_TIME_OTHERS_WARM"
status=0
# shellcheck disable=SC2086 # one argument per package
go test -count=1 -timeout 20m $others || status=$?

printf '\n==> go test -v %s: acceptance tests through the real terraform CLI, a line per test (cold Go cache: %s; warm: %s)\n' \
	"$slow" "$TEST_TIME_SLOW_COLD" "$TEST_TIME_SLOW_WARM"
go test -count=1 -timeout 20m -v "$slow" 2>&1 | grep --line-buffered -vE '^=== (RUN|PAUSE|CONT|NAME)|^ +--- (PASS|SKIP)' || status=$?
exit "$status"
