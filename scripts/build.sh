#!/usr/bin/env bash
# Installs what is missing (scripts/setup.sh), configures and builds into build/.
# Used by run.sh and test.sh; extra arguments go to CMake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
if [ ! -f build/CMakeCache.txt ]; then
  cmake -S . -B build -G Ninja -DCMAKE_BUILD_TYPE=Release "$@"
elif [ $# -gt 0 ]; then
  cmake -S . -B build "$@"
fi
# Two jobs at most: LibTorch translation units need about 2 GB of memory each.
cmake --build build --parallel "${LW_BUILD_JOBS:-2}"
