#!/usr/bin/env bash
# The whole default test suite: sets up, builds, runs CTest without the slow label.
# Slow checks (the default model's acceptance numbers): ctest --test-dir build -L slow
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
ctest --test-dir build --output-on-failure -LE slow -j "${LW_TEST_JOBS:-2}" "$@"
