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
echo "install layout and compile lines OK"
