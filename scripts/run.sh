#!/usr/bin/env bash
# The main job: builds hccl-cpu (Release) and benchmarks every HCCL operation with hccl_test on
# 4 process ranks (-np 4), 16 B to 4 MiB, every element of every output checked (-c 1).
# Extra arguments go to every hccl_test run, e.g. `scripts/run.sh -d fp16 -o max`.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(nproc)" --target hccl_test

export HCCL_IF_IP=${HCCL_IF_IP:-127.0.0.1}  # every rank is on this machine
operations=(all_reduce all_gather all_gather_v reduce_scatter reduce_scatter_v broadcast reduce
            scatter alltoall alltoallv alltoallvc send_recv batch_send_recv)
failed=()
for op in "${operations[@]}"; do
  echo
  build/release/tools/hccl_test/hccl_test "$op" -np 4 -b 16 -e 4M -f 4 -c 1 "$@" || failed+=("$op")
done
echo
if [ ${#failed[@]} -ne 0 ]; then
  echo "main job: ${#failed[@]} of ${#operations[@]} operations failed: ${failed[*]}"
  exit 1
fi
echo "main job: all ${#operations[@]} operations ran on 4 ranks and every output checked"
