#!/usr/bin/env bash
# The default suite under a sanitizer, built into a folder of its own (build-asan/, build-ubsan/,
# build-tsan/) so the everyday build stays as it is.
#
#   scripts/check.sh asan   [CTEST ARGS]   AddressSanitizer and LeakSanitizer: the whole suite
#   scripts/check.sh ubsan  [CTEST ARGS]   UndefinedBehaviorSanitizer: the whole suite
#   scripts/check.sh tsan   [CTEST ARGS]   ThreadSanitizer: the threaded parts (generator worker,
#                                          stage, control queues and inputs, encoder training)
#   scripts/check.sh vulkan [CTEST ARGS]   the everyday build's suite with every Vulkan context
#                                          validated (synchronisation validation on): any message
#                                          of the layers fails the check
#
# Every report is fatal: the test that triggered it fails, and its log (ctest --output-on-failure)
# holds the report. Third-party reports that are not latentwalk's are suppressed in
# scripts/sanitizers/*.supp, each with its reason. GCC builds these (clang cannot compile
# LibTorch 1.13's headers as C++20 here; scripts/fuzz.sh uses clang for libFuzzer on the parsers,
# which need no LibTorch header). Exits with ctest's status.
set -euo pipefail
cd "$(dirname "$0")/.."

kind=${1:-}
if [ "$kind" = vulkan ]; then
  shift
  ./scripts/build.sh
  log=build/vulkan-validation.log
  status=0
  # Every test's output goes to the log (-V), where the layers' messages are counted; the
  # console gets ctest's summary.
  LW_VULKAN_VALIDATION=1 ctest --test-dir build -V -LE "slow|bench" -j "${LW_TEST_JOBS:-2}" -O "$log" "$@" >/dev/null || status=$?
  sed -n '/tests passed/,$p' "$log"
  # ctest -V prefixes each line with its test's number: "281: vulkan validation error: ...".
  messages=$(grep -cE "^([0-9]+: )?vulkan validation" "$log" || true)
  echo "check.sh vulkan: $messages validation message(s) across the suite (log: $log)"
  if [ "$messages" -gt 0 ]; then
    grep -E "^([0-9]+: )?vulkan validation" "$log" | sed -E 's/^[0-9]+: //' | sort | uniq -c | sort -rn | head -20
    status=1
  fi
  exit "$status"
fi

case "$kind" in
  asan) sanitize=address ;;
  ubsan) sanitize=undefined ;;
  tsan) sanitize=thread ;;
  *) echo "usage: scripts/check.sh asan|ubsan|tsan|vulkan [ctest arguments]" >&2; exit 2 ;;
esac
shift
build=build-$kind
supp=$PWD/scripts/sanitizers

./scripts/setup.sh
if [ ! -f "$build/CMakeCache.txt" ]; then
  # CUDA off: the sanitizers cannot see into device code, and these machines have no GPU.
  # -O1 -g1: line tables are enough for the reports' stacks, and full debug information for
  # LibTorch's templates would double the build.
  cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" \
    "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -g1 -DNDEBUG" -DLW_SANITIZE=$sanitize -DLW_WITH_CUDA=OFF -DLW_WARNINGS_AS_ERRORS=OFF >/dev/null
fi
cmake --build "$build" --parallel "${LW_BUILD_JOBS:-2}"

# One OpenMP thread: LibTorch's OpenMP runtime is not instrumented, and its pool would only add
# reports about itself (ThreadSanitizer) and time (all three).
export OMP_NUM_THREADS=1
# The Vulkan loader unmaps the validation layer and the lavapipe driver when an instance goes;
# a small preloaded library keeps them mapped (sanitizers/keep_vulkan_loaded.c), so that
# LeakSanitizer can tell their allocations from ours.
if [ "$kind" != ubsan ]; then
  cc -shared -fPIC -O1 -o "$build/keep_vulkan_loaded.so" "$supp/keep_vulkan_loaded.c" -ldl
  export LD_PRELOAD="$PWD/$build/keep_vulkan_loaded.so${LD_PRELOAD:+ $LD_PRELOAD}"
fi
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:detect_odr_violation=0:verify_asan_link_order=0:${ASAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$supp/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
export UBSAN_OPTIONS="print_stacktrace=1:halt_on_error=1:suppressions=$supp/ubsan.supp:${UBSAN_OPTIONS:-}"
export TSAN_OPTIONS="halt_on_error=1:second_deadlock_stack=1:suppressions=$supp/tsan.supp:${TSAN_OPTIONS:-}"

filter=()
if [ "$kind" = tsan ]; then
  # The parts with threads of their own; the rest of the suite is single-threaded code.
  filter=(-R "StageTest|SessionTest|OscServer|OscRouter|MidiInput|AudioInput|Link|Handoff|FrameTimeHistory|app.osc|app.automation")
fi
ctest --test-dir "$build" --output-on-failure -LE "slow|bench" -j "${LW_TEST_JOBS:-2}" --timeout 1800 "${filter[@]}" "$@"
