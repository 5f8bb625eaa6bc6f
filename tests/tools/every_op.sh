#!/usr/bin/env bash
# Every operation of hccl_test on 3 process ranks (an odd count), every element checked.
#   every_op.sh <hccl_test> [extra options]
set -euo pipefail
tool=$1
shift
for op in all_reduce all_gather all_gather_v reduce_scatter reduce_scatter_v broadcast reduce \
          scatter alltoall alltoallv alltoallvc send_recv batch_send_recv; do
  out=$("$tool" "$op" -np 3 -b 8 -e 2M -f 8 -r 2 -n 3 -w 1 -c 1 "$@")
  printf '%s\n' "$out"
  grep -q '| success' <<<"$out" || { echo "FAIL: $op reported no successful size" >&2; exit 1; }
  ! grep -q '| fail' <<<"$out" || { echo "FAIL: $op" >&2; exit 1; }
done
echo "every operation checked"
