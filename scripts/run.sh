#!/usr/bin/env bash
# The main job on the embedded default model: sets up and builds, writes a sample grid and a
# linear vs density-preserving walk strip to out/, then opens the viewer (a window when there is
# a display; otherwise 120 headless frames in out/view/). Extra arguments go to `latentwalk view`.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/build.sh
model=assets/models/synthfaces
build/latentwalk demo --model "$model" --out out
if [ -n "${DISPLAY:-}${WAYLAND_DISPLAY:-}" ]; then
  echo "opening the viewer (space: play/pause, Tab: hide the UI, close the window to quit)"
  build/latentwalk view --model "$model" "$@"
else
  echo "no display: rendering the viewer headless instead (xvfb-run ./scripts/run.sh shows the window)"
  build/latentwalk view --model "$model" --headless --frames 120 --out out/view "$@"
  echo "  out/view/frame_0000.png ... frame_0119.png: the viewer's frames, linear (left) beside density-preserving (right)"
fi
