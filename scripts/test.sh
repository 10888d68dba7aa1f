#!/usr/bin/env bash
# The whole default test suite: sets up, builds, runs CTest without the slow and bench labels.
# Slow checks (the default model's acceptance numbers): ctest --test-dir build -L slow
# Throughput figures, run alone and printed: ctest --test-dir build -L bench -V
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
ctest --test-dir build --output-on-failure -LE "slow|bench" -j "${LW_TEST_JOBS:-2}" "$@"
