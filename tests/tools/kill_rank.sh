#!/usr/bin/env bash
# A rank killed in the middle of a run ends the whole -np job promptly, with the dead rank
# named and a non-zero status (the other ranks are blocked in HCCL operations with it).
#   kill_rank.sh <hccl_test>
set -uo pipefail
tool=$1
log=$(mktemp)
trap 'rm -f "$log"' EXIT
"$tool" all_reduce -np 3 -b 16M -e 16M -n 100000 -w 0 -c 0 >"$log" 2>&1 &
parent=$!
for _ in $(seq 100); do  # wait until the ranks run
  grep -q 'data_size' "$log" && break
  sleep 0.1
done
victim=$(tr ' ' '\n' <"/proc/$parent/task/$parent/children" | sed -n 2p)
ranks=$(cat "/proc/$parent/task/$parent/children")
[ -n "$victim" ] || { echo "FAIL: no rank to kill" >&2; cat "$log"; exit 1; }
start=$SECONDS
kill -9 "$victim"
wait "$parent"
rc=$?
cat "$log"
[ "$rc" -eq 1 ] || { echo "FAIL: exit status $rc, expected 1" >&2; exit 1; }
grep -q "(pid $victim) was killed by signal 9" "$log" || { echo "FAIL: victim not named" >&2; exit 1; }
[ $((SECONDS - start)) -lt 20 ] || { echo "FAIL: took $((SECONDS - start)) s" >&2; exit 1; }
for pid in $(tr ' ' '\n' <<<"$ranks"); do
  kill -0 "$pid" 2>/dev/null && { echo "FAIL: rank $pid left running" >&2; exit 1; }
done
echo "OK: the job ended in $((SECONDS - start)) s"
