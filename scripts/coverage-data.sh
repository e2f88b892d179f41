# shellcheck shell=bash
# Sourced by the scripts that count coverage (scripts/test.sh, scripts/testacc-cli.sh) and by
# scripts/cover.sh, which reports it. Each run writes the raw data of go test -cover and of the
# provider binary the CLI tests build with -cover into a folder of its own, coverage/data/RUN
# (coverage/ is ignored by git), and, once every test has passed, coverage/data/RUN.sha256: the
# sources it was measured on. make cover merges the runs measured on the sources as they are.

COVER_DATA=$PWD/coverage/data

# sources_sha256: one hash over the Go sources, go.mod and go.sum, tracked or not (git ignores
# none of them); a change to any makes the data measured before it stale. A tracked file deleted
# from the work tree counts by its absence. Outside a git checkout (a source archive), every
# such file below this folder.
sources_sha256() {
	{
		git ls-files -z --cached --others --exclude-standard -- '*.go' go.mod go.sum 2>/dev/null ||
			find . \( -name '*.go' -o -name go.mod -o -name go.sum \) -not -path './coverage/*' -print0
	} | sort -z | { xargs -0 sha256sum 2>/dev/null || true; } | sha256sum | cut -d' ' -f1
}

# cover_start RUN: empties RUN's folder and sets the go test arguments that fill it:
# cover_flags, and cover_args, which go last (-args). Every test binary counts every package of
# the module: a test of one package counts what it runs of the others.
cover_start() {
	rm -rf "${COVER_DATA:?}/$1" "$COVER_DATA/$1.sha256"
	mkdir -p "$COVER_DATA/$1"
	cover_flags=(-cover -coverpkg="$(go list -m)/...")
	cover_args=(-args -test.gocoverdir="$COVER_DATA/$1")
}

# cover_passed RUN: RUN's tests all passed; its data counts for these sources.
cover_passed() {
	sources_sha256 >"$COVER_DATA/$1.sha256"
}

# cover_fresh RUN SOURCES: whether RUN's data was measured on the sources whose sources_sha256
# is SOURCES (the sources as they are: hashing them reads every file, so a caller asking of
# several runs hashes once).
cover_fresh() {
	[ -s "$COVER_DATA/$1.sha256" ] && [ "$(cat "$COVER_DATA/$1.sha256")" = "$2" ]
}
