#!/usr/bin/env bash
# Fuzzes every parser that strangers' bytes reach, with libFuzzer under AddressSanitizer and
# UndefinedBehaviorSanitizer (leaks included), each target for SECONDS (default 60).
#
#   scripts/fuzz.sh [SECONDS] [TARGET ...]      targets: npy pickle network_file preset
#                                               automation manifest osc settings (default: all)
#
# Builds into build-fuzz/ with clang (scripts/setup.sh --checks installs it). Each target starts
# from its seeds in fuzz/corpus/TARGET and keeps what it learns in build-fuzz/corpus/TARGET, so
# a second run goes on from the first. An input that crashes, leaks, trips a sanitizer or runs
# longer than 10 s is kept in build-fuzz/findings/TARGET/; copy it into fuzz/regressions/TARGET/
# (the default suite replays it there, and later fuzz runs start from it) once it is fixed. Targets run LW_FUZZ_JOBS at a time
# (default: the number of cores). A table of executions per target is printed and written to
# build-fuzz/fuzz_report.json. Exits non-zero when any target found something.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds=${1:-60}
[[ "$seconds" =~ ^[0-9]+$ && "$seconds" -gt 0 ]] || { echo "fuzz.sh: SECONDS must be a positive whole number, got '$seconds'" >&2; exit 2; }
shift || true
all=(npy pickle network_file preset automation manifest osc settings)
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=("${all[@]}")
for t in "${targets[@]}"; do
  [[ " ${all[*]} " == *" $t "* ]] || { echo "fuzz.sh: no target '$t' (there are: ${all[*]})" >&2; exit 2; }
done

./scripts/setup.sh --checks
if [ ! -f build-fuzz/CMakeCache.txt ]; then
  cmake -S . -B build-fuzz -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ \
    -DLW_BUILD_FUZZERS=ON -DLW_BUILD_TESTS=OFF -DLW_WITH_CUDA=OFF -DLW_WITH_WINDOW=OFF -DLW_WITH_VIDEO=OFF \
    -DLW_WARNINGS_AS_ERRORS=OFF >/dev/null
fi
cmake --build build-fuzz --target fuzzers --parallel "${LW_BUILD_JOBS:-2}"

run_one() {
  local t=$1 seconds=$2
  local corpus=build-fuzz/corpus/$t findings=build-fuzz/findings/$t log=build-fuzz/logs/$t.log
  mkdir -p "$corpus" "$findings" build-fuzz/logs
  local rc=0 marker=build-fuzz/logs/$t.started seeds=("fuzz/corpus/$t")
  touch "$marker"
  [ -d "fuzz/regressions/$t" ] && seeds+=("fuzz/regressions/$t")
  # -timeout: an input taking 10 s is a hang; -rss_limit_mb: a parser must not need 2 GB.
  ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
    LSAN_OPTIONS=suppressions=$PWD/scripts/sanitizers/lsan.supp:print_suppressions=0 \
    "build-fuzz/fuzz_$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$findings/" "$corpus" "${seeds[@]}" >"$log" 2>&1 || rc=$?
  local runs speed
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1)
  printf '%s %s %s %s %s %s\n' "$t" "${runs:-0}" "${speed:-0}" "$(ls "$corpus" | wc -l)" \
    "$(find "$findings" -type f -newer "$marker" | wc -l)" "$rc" >"build-fuzz/logs/$t.result"
}
export -f run_one

echo "fuzz.sh: ${#targets[@]} target(s), ${seconds} s each, ${LW_FUZZ_JOBS:-$(nproc)} at a time; logs in build-fuzz/logs/"
printf '%s\n' "${targets[@]}" | xargs -P "${LW_FUZZ_JOBS:-$(nproc)}" -I{} bash -c 'run_one {} '"$seconds"

failed=0
printf '\n%-14s %14s %10s %8s %9s\n' target executions "exec/s" corpus findings
json="["
for t in "${targets[@]}"; do
  read -r name runs speed corpus found rc <"build-fuzz/logs/$t.result"
  printf '%-14s %14s %10s %8s %9s\n' "$name" "$runs" "$speed" "$corpus" "$found"
  [ "$found" -eq 0 ] && [ "$rc" -eq 0 ] || { failed=1; echo "  $t: see build-fuzz/logs/$t.log and build-fuzz/findings/$t/" >&2; }
  json+="$( [ "$json" = "[" ] || echo ,){\"target\":\"$name\",\"seconds\":$seconds,\"executions\":$runs,\"exec_per_s\":$speed,\"corpus\":$corpus,\"findings\":$found}"
done
echo "$json]" >build-fuzz/fuzz_report.json
[ "$failed" -eq 0 ] && echo "fuzz.sh: no findings" || echo "fuzz.sh: findings above" >&2
exit "$failed"
