#!/usr/bin/env bash
# The main job: builds hccl-cpu (Release) and runs the device demo on 8 emulated devices.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/install-deps.sh
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release >/dev/null
cmake --build build/release -j "$(nproc)" --target device_demo
exec build/release/examples/device_demo "$@"
