#!/usr/bin/env bash
# make test: the whole suite, offline, showing progress. The acceptance tests of
# internal/provider take minutes, so that package runs alone with -v (go test
# streams -v output only for a single package) and a line is printed per test
# as it ends. go test's closing lines ("ok", "FAIL", "PASS") are kept for CI.
set -euo pipefail
cd "$(dirname "$0")/.."

# Measured on a 2-core machine shared with other builds (README.md, "How long things take").
COMPILE_TIME_COLD="about 2 min on an idle 2-core machine, 18 on a busy one"
TEST_TIME_OTHERS="about 20 s"
TEST_TIME_SLOW="about 2 minutes"

slow=./internal/provider
others=$(go list ./... | grep -vx "$(go list "$slow")")
# Every package the tests import, compiled first with progress: go test compiles silently.
deps=$(go list -deps -test -f '{{if and (not .ForTest) (ne .Name "main")}}{{.ImportPath}}{{end}}' ./... | grep -v '^$')

printf '==> compiling the packages the tests import (cold Go cache: %s; warm: a few seconds)\n' "$COMPILE_TIME_COLD"
# shellcheck disable=SC2086 # one argument per package
go build -v $deps 2>&1 | awk '
	/ |^#/ { print "    | " $0; fflush(); next }
	{ if (++n % 25 == 0) { printf "    | %d packages compiled (%s)\n", n, $0; fflush() } }'

printf '\n==> go test: every package but %s (%s)\n' "$slow" "$TEST_TIME_OTHERS"
status=0
# shellcheck disable=SC2086 # one argument per package
go test -count=1 -timeout 20m $others || status=$?

printf '\n==> go test -v %s: acceptance tests through the real terraform CLI, a line per test (%s)\n' "$slow" "$TEST_TIME_SLOW"
go test -count=1 -timeout 20m -v "$slow" 2>&1 | grep --line-buffered -vE '^=== (RUN|PAUSE|CONT|NAME)|^ +--- (PASS|SKIP)' || status=$?
exit "$status"
