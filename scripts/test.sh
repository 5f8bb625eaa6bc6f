#!/usr/bin/env bash
# Builds hccl-cpu and runs every test three ways: Release; AddressSanitizer + UndefinedBehavior-
# Sanitizer; ThreadSanitizer on the concurrency tests. Tests labelled `slow` run with --all.
#   scripts/test.sh          quick run
#   scripts/test.sh --all    also the slow tests (CI)
set -euo pipefail
cd "$(dirname "$0")/.."

all=0
[ "${1:-}" = "--all" ] && all=1
jobs=$(nproc)

scripts/install-deps.sh

configure_and_build() {  # dir, cmake args...
  local dir=$1
  shift
  cmake -S . -B "$dir" -G Ninja "$@" >/dev/null
  cmake --build "$dir" -j "$jobs"
}

echo "== static checks: format, layering"
scripts/check-format.sh
scripts/check-layering.sh

echo "== Release"
configure_and_build build/release -DCMAKE_BUILD_TYPE=Release
if [ $all -eq 1 ]; then
  ctest --test-dir build/release --output-on-failure -j 2
else
  ctest --test-dir build/release --output-on-failure -j 2 -LE slow
fi

echo "== AddressSanitizer + UndefinedBehaviorSanitizer"
configure_and_build build/asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHCCL_CPU_SANITIZER=address \
  -DHCCL_CPU_BUILD_BENCHMARKS=OFF
ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
  ctest --test-dir build/asan --output-on-failure -j 2 -LE slow

echo "== ThreadSanitizer (concurrency tests)"
configure_and_build build/tsan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DHCCL_CPU_SANITIZER=thread \
  -DHCCL_CPU_BUILD_BENCHMARKS=OFF
TSAN_OPTIONS=halt_on_error=1:second_deadlock_stack=1 \
  ctest --test-dir build/tsan --output-on-failure -j 2 -L concurrency -LE slow

echo "all tests passed"
