#!/usr/bin/env bash
# A long headless run of the stage played over OSC (parameter moves, preset loads, edits,
# malformed packets, live captures started and stopped), measured: memory slope, frame time p99,
# every capture playable. See scripts/soak.py.
#
#   scripts/soak.sh [MINUTES]     default 60; figures in build/soak/soak_report.json
set -euo pipefail
cd "$(dirname "$0")/.."
minutes=${1:-60}
[[ "$minutes" =~ ^[0-9]+([.][0-9]+)?$ ]] || { echo "soak.sh: MINUTES must be a number, got '$minutes'" >&2; exit 2; }
./scripts/build.sh
exec /usr/bin/python3 scripts/soak.py --exe build/latentwalk --out build/soak --minutes "$minutes"
