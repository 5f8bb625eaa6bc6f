#!/usr/bin/env bash
# Fails when a C/C++ file differs from what clang-format (the repo's .clang-format) would write.
set -euo pipefail
cd "$(dirname "$0")/.."
files=$(git ls-files -co --exclude-standard -- '*.h' '*.cc' '*.c' | grep -v '^build')
[ -z "$files" ] && exit 0
bad=$(echo "$files" | xargs clang-format --dry-run 2>&1 | grep -o '^[^:]*: warning' | cut -d: -f1 | sort -u || true)
if [ -n "$bad" ]; then
  echo "not clang-formatted (run: clang-format -i <file>):" >&2
  echo "$bad" >&2
  exit 1
fi
