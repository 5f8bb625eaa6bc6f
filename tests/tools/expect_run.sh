#!/usr/bin/env bash
# Runs a command and checks its exit status and output (status 77, skipped, passes through).
#   expect_run.sh <status> <regexes> <command...>
# <regexes>: extended regexes separated by ';;', each matching a line of the combined output.
set -uo pipefail
want=$1 pattern=$2
shift 2
out=$("$@" 2>&1)
got=$?
printf '%s\n' "$out"
[ "$got" -eq 77 ] && [ "$want" -ne 77 ] && exit 77  # the command skipped itself
[ "$got" -eq "$want" ] || { echo "FAIL: exit status $got, expected $want" >&2; exit 1; }
IFS=$'\n' read -r -d '' -a patterns < <(sed 's/;;/\n/g' <<<"$pattern")
for p in "${patterns[@]}"; do
  grep -Eq -- "$p" <<<"$out" || { echo "FAIL: output does not match: $p" >&2; exit 1; }
done
echo "OK: status $got, output matches"
