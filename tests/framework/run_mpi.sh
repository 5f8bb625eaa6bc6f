#!/usr/bin/env bash
# Runs the MPI rendezvous program on 4 processes of this machine. Exit 77 (CTest: skipped) when
# Open MPI's mpirun is not installed. All traffic stays on loopback: Open MPI's own sockets and
# the HCCL rendezvous (HCCL_IF_IP).
set -euo pipefail
command -v mpirun >/dev/null 2>&1 || { echo "mpirun not found: skipped"; exit 77; }
# Open MPI leaks by design; the sanitizer build checks our code in the other tests.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}detect_leaks=0"
export HCCL_IF_IP=127.0.0.1
exec mpirun --allow-run-as-root --oversubscribe -np 4 \
  --mca btl self,vader --mca btl_vader_single_copy_mechanism none \
  --mca oob_tcp_if_include lo --mca btl_tcp_if_include lo \
  -x HCCL_IF_IP -x ASAN_OPTIONS "$@"
