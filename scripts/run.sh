#!/usr/bin/env bash
# The main job on the embedded default model: sets up, builds, then writes a sample grid and a
# linear vs density-preserving walk strip to out/.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
build/latentwalk demo --model assets/models/synthfaces --out out "$@"
