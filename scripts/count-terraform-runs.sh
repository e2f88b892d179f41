#!/usr/bin/env bash
# Counts the terraform runs of a command, per subcommand, with the seconds they took.
# A wrapper named terraform goes first on PATH and in TF_ACC_TERRAFORM_PATH (the acceptance
# tests) and TERRAFORM (the GNUmakefile and the demo); it logs each run, then runs the real one.
#
#   scripts/count-terraform-runs.sh [COMMAND...]      (default: make test)
#
# Prints the command's output, then its wall, user and sys time and a table of runs per
# subcommand; the log of runs ("SUBCOMMAND MILLISECONDS" per line) is kept in RUNS_LOG (default:
# a new file in TMPDIR, named at the end). TERRAFORM names the real terraform (default: the one
# on PATH).
set -euo pipefail
cd "$(dirname "$0")/.."

real=${TERRAFORM:-$(command -v terraform || true)}
[ -n "$real" ] || { echo "count-terraform-runs: terraform is not on PATH; set TERRAFORM" >&2; exit 1; }
[ "$#" -gt 0 ] || set -- make test

shim=$(mktemp -d "${TMPDIR:-/tmp}/tf-shim.XXXXXX")
trap 'rm -rf "$shim"' EXIT
log=${RUNS_LOG:-$(mktemp "${TMPDIR:-/tmp}/terraform-runs.XXXXXX")}
: >"$log"
# Each run appends "SUBCOMMAND MILLISECONDS"; one short write per line, so concurrent runs
# do not interleave.
cat >"$shim/terraform" <<EOF
#!/usr/bin/env bash
sub=none
for a in "\$@"; do case \$a in -*) ;; *) sub=\$a; break ;; esac; done
start=\$(date +%s%N)
status=0
"$real" "\$@" || status=\$?
printf '%s %d\n' "\$sub" \$(( (\$(date +%s%N) - start) / 1000000 )) >>"$log"
exit \$status
EOF
chmod +x "$shim/terraform"

export PATH="$shim:$PATH" TERRAFORM="$shim/terraform" TF_ACC_TERRAFORM_PATH="$shim/terraform"
status=0
/usr/bin/time -f '%e %U %S' -o "$shim/time" "$@" || status=$?

# GNU time writes "Command exited with non-zero status N" first when the command fails.
read -r wall user sys < <(tail -n 1 "$shim/time")
printf '\n==> %s: exit %d; wall %.0f s, user %.0f s, sys %.0f s (user+sys %.0f s); runs logged in %s\n' \
	"$*" "$status" "$wall" "$user" "$sys" "$(echo "$user + $sys" | bc)" "$log"
awk '{ n[$1]++; ms[$1] += $2; N++; MS += $2 }
	END {
		printf "    %-12s %6s %9s\n", "terraform", "runs", "seconds"
		for (s in n) printf "    %-12s %6d %9.0f\n", s, n[s], ms[s] / 1000 | "sort -k2 -nr"
		close("sort -k2 -nr")
		printf "    %-12s %6d %9.0f\n", "total", N, MS / 1000
	}' "$log"
exit "$status"
