#!/usr/bin/env bash
# The default suite RUNS times in a row (default 5) under ctest -j2 with a CPU hog beside it (one
# busy loop per core), as on a loaded CI machine: a test that depends on timing fails here.
# Prints each run's result and the tests that failed in any run; exits non-zero if one did.
# LW_FLAKE_HOGS sets how many busy loops (default: one per core; 0 when something else keeps the
# CPUs busy, such as a fuzz run or a build).
#
#   scripts/flake_check.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "flake_check.sh: RUNS must be a positive whole number, got '$runs'" >&2; exit 2; }
./scripts/build.sh

hogs=()
stop_hogs() { [ ${#hogs[@]} -eq 0 ] || kill "${hogs[@]}" 2>/dev/null || true; }
trap stop_hogs EXIT
hog_count=${LW_FLAKE_HOGS:-$(nproc)}
[[ "$hog_count" =~ ^[0-9]+$ ]] || { echo "flake_check.sh: LW_FLAKE_HOGS must be a whole number, got '$hog_count'" >&2; exit 2; }
for _ in $(seq "$hog_count"); do
  bash -c 'while :; do :; done' &
  hogs+=($!)
done
echo "flake_check.sh: ${#hogs[@]} busy loop(s) beside the suite, $runs run(s)"

failed_runs=0
mkdir -p build/flake
for run in $(seq "$runs"); do
  start=$(date +%s)
  if ctest --test-dir build -LE "slow|bench" -j 2 --timeout 1800 >"build/flake/run$run.log" 2>&1; then
    echo "run $run: all passed in $(( $(date +%s) - start )) s"
  else
    failed_runs=$((failed_runs + 1))
    echo "run $run: FAILED in $(( $(date +%s) - start )) s:"
    sed -n '/The following tests FAILED/,$p' "build/flake/run$run.log" | tail -n +2
  fi
done
echo "flake_check.sh: $((runs - failed_runs)) of $runs runs all green (logs in build/flake/)"
[ "$failed_runs" -eq 0 ]
