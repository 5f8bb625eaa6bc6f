#!/usr/bin/env bash
# Installs the build into a fresh prefix and builds programs against it the way CANN users do:
# the layout (P/include/{acl,hccl,hccl/platform}, P/lib64 with the library aliases) and the
# documented compile lines must work unchanged.
set -euo pipefail
build=$1 source=$2
prefix=$(mktemp -d)
trap 'rm -rf "$prefix"' EXIT
cmake --install "$build" --prefix "$prefix" >/dev/null

for f in include/acl/acl.h include/acl/acl_prof.h include/hccl/hccl_types.h \
         include/hccl/platform/dispatcher.h include/hccl/platform/hccl_common.h \
         include/hccl/platform/stream_pub.h include/hccl/platform/mem_device_pub.h \
         include/hccl/platform/local_notify.h include/hccl/platform/adapter_rts_common.h \
         include/hccl/platform/dispatcher_task_types.h \
         lib64/libascendcl.so lib64/libhccl.so lib64/libacl_rt.so lib64/libmsprofiler.so; do
  [ -e "$prefix/$f" ] || { echo "missing from the install: $f" >&2; exit 1; }
done

P=$prefix
g++ -std=c++14 -Werror "$source/examples/vendor_style/dispatcher_example.cc" -o "$prefix/example" \
  -I"$P/include" -I"$P/include/hccl/platform" -L"$P/lib64" -lhccl -lascendcl \
  -Wl,-rpath,"$P/lib64"
"$prefix/example"

# The newest hccl_test Makefile links -lacl_rt -lmsprofiler instead of -lascendcl.
cat > "$prefix/acl_only.cc" <<'CC'
#include "acl/acl.h"
#include "acl/acl_prof.h"
int main() {
    uint32_t n = 0;
    if (aclrtGetDeviceCount(&n) != ACL_SUCCESS || n == 0) return 1;
    return aclrtGetSocName() == nullptr;
}
CC
g++ -std=c++11 -Werror "$prefix/acl_only.cc" -o "$prefix/acl_only" -I"$P/include" -L"$P/lib64" \
  -lacl_rt -lmsprofiler -Wl,-rpath,"$P/lib64"
"$prefix/acl_only"

# CANN-style programs (examples/cann), built with the vendor examples' compile line and run.
# Every rank is on this host: the root listens on loopback.
export HCCL_IF_IP=127.0.0.1
run_example() {  # log name, command...: prints the verdict line, the whole log on failure
  local log=$prefix/$1.log
  shift
  if timeout -k 5 120 "$@" >"$log" 2>&1; then
    tail -n 1 "$log"
  else
    cat "$log" >&2
    echo "failed: $*" >&2
    exit 1
  fi
}

g++ -std=c++14 -Werror "$source/examples/cann/allreduce_threads/main.cc" \
  -o "$prefix/allreduce_threads" -I"$P/include" -L"$P/lib64" -lhccl -lascendcl \
  -Wl,-rpath,"$P/lib64"
run_example threads2 "$prefix/allreduce_threads" 2
run_example threads4 "$prefix/allreduce_threads" 4

if command -v mpicxx >/dev/null && command -v mpirun >/dev/null; then
  # shellcheck disable=SC2046  # the MPI flags are several words
  g++ -std=c++14 -Werror "$source/examples/cann/collectives_mpi/main.cc" \
    -o "$prefix/collectives_mpi" -I"$P/include" -L"$P/lib64" -lhccl -lascendcl \
    $(mpicxx --showme:compile) $(mpicxx --showme:link) -Wl,-rpath,"$P/lib64"
  run_example mpi2 mpirun --allow-run-as-root --oversubscribe -np 2 "$prefix/collectives_mpi"
else
  echo "Open MPI not installed: examples/cann/collectives_mpi not built"
fi
echo "install layout and compile lines OK"
