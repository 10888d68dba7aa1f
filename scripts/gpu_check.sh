#!/usr/bin/env bash
# The GPU checks, in one run on a machine with an NVIDIA GPU (no package registry needed):
#   1. builds what needs no FFmpeg against the CUDA LibTorch of the machine's PyTorch, with the
#      Debian headers and libraries scripts/gpu_prepare.sh unpacked into .gpu/sysroot;
#   2. runs the CUDA hand-off tests (the shared image, its gradient, 1,000 frames of semaphore
#      ordering, cross-device semaphores), the stage's tests (the generator on the GPU, frames
#      waiting on its CUDA event, no render-thread LibTorch call) and the StyleGAN importer's;
#   3. makes random-weight StyleGAN2 networks at 512 and 1024 px with NVlabs' own code (.gpu/stylegan3),
#      imports them, and runs `view --headless --json` on each (expect the cuda-shared sink and
#      0 host copies per frame);
#   4. `bench` at 256, 512 and 1024 px (hand-off p50/p99 per path, CUDA speed-up over host
#      staging, our generator at batch 1 in fp32 and with --half) and NVlabs' generator (its
#      CUDA kernels, fp16 where it uses it) timed on the same GPU beside it.
# Results: $OUT/gpu_check.json (or gpu-check-out/ in the repository), steps.log beside it, every
# other log in logs.tar.gz; the exit status is non-zero when a build or a test step failed.
# Usage (there): ./scripts/gpu_check.sh     Time: at most LW_GPU_BUDGET_S (560 s by default).
# A shorter run: LW_GPU_RESOLUTIONS="1024" (the imported sizes), LW_GPU_NVLABS_TIMING=0.
set -uo pipefail
cd "$(dirname "$0")/.." || exit 1
repo=$(pwd)
out=${OUT:-$repo/gpu-check-out}
mkdir -p "$out"
sysroot=$repo/.gpu/sysroot
nvlabs=$repo/.gpu/stylegan3
python=${PYTHON:-python3}
results=$out/gpu_check.json
logs=$out/logs                 # every step's log, packed into logs.tar.gz at the end
work=$logs/work                # small results (JSON), packed with them
nets=${TMPDIR:-/tmp}/lw-gpu-nets  # the networks (over 100 MB each at 1024 px) stay behind
rm -rf "$results" "$out/steps.log" "$out/logs.tar.gz" "$logs"
mkdir -p "$work" "$nets"
failed=0

note() { echo "[gpu_check $(date +%T)] $*" | tee -a "$out/steps.log"; }
record() { "$python" - "$results" "$1" "$2" <<'PY'
import json, sys, pathlib
path, key, value = sys.argv[1], sys.argv[2], sys.argv[3]
data = json.loads(pathlib.Path(path).read_text()) if pathlib.Path(path).exists() else {}
try:
    data[key] = json.loads(value)
except json.JSONDecodeError:
    data[key] = value
pathlib.Path(path).write_text(json.dumps(data, indent=2))
PY
}

# One time budget for the whole script (the device tool's command limit is 600 s): a step that
# would start too late is skipped and says so, and the logs are packed whatever happens.
budget=${LW_GPU_BUDGET_S:-560}
time_left() { echo $((budget - SECONDS)); }
capped() { local left; left=$(( $(time_left) - 10 )); echo $(( left < $1 ? left : $1 )); }
enough() { [ "$(time_left)" -ge "$1" ] || { note "skipped ($1 s needed, $(time_left) s left): $2"; return 1; }; }
# A step's exit status, recorded; any non-zero one makes the script's own status non-zero.
record_rc() { record "$1" "$2"; [ "$2" -eq 0 ] || failed=1; }
# What a step printed as JSON, or "failed" when it printed nothing.
json_of() { if [ -s "$1" ]; then tail -1 "$1"; else echo '"failed"'; fi; }
pack_logs() {
  # At most 8 files come back: gpu_check.json, steps.log and one archive of the logs folder.
  tar czf "$out/logs.tar.gz" -C "$out" logs 2>/dev/null && rm -rf "$logs"
}
trap pack_logs EXIT

[ -d "$sysroot" ] || { echo "gpu_check: .gpu/sysroot is missing: run scripts/gpu_prepare.sh where apt-get works and carry .gpu" >&2; exit 1; }
command -v nvidia-smi >/dev/null || { echo "gpu_check: no nvidia-smi: this machine has no NVIDIA driver" >&2; exit 1; }
gpu=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)
torch_prefix=$("$python" -c "import torch; print(torch.utils.cmake_prefix_path)")
torch_version=$("$python" -c "import torch; print(torch.__version__, torch.version.cuda, torch.cuda.is_available())")
note "GPU: $gpu; torch $torch_version"
record gpu "\"$gpu\""
record torch "\"$torch_version\""


lib=$sysroot/usr/lib/x86_64-linux-gnu
# PyTorch's CUDA libraries come from pip packages (nvidia/*/lib): the linker needs them to resolve
# LibTorch's own dependencies, the programs to load them.
nvidia_libs=$("$python" -c "import pathlib, torch; r = pathlib.Path(torch.__file__).parents[1] / 'nvidia'; print(':'.join(sorted(str(d) for d in r.rglob('lib') if d.is_dir())))" 2>/dev/null)
export LD_LIBRARY_PATH=$lib:$lib/blas:${nvidia_libs:+$nvidia_libs:}${LD_LIBRARY_PATH:-}
export PKG_CONFIG_SYSROOT_DIR=$sysroot
export PKG_CONFIG_LIBDIR=$lib/pkgconfig:$sysroot/usr/share/pkgconfig
export PATH=$sysroot/usr/bin:$PATH:/usr/local/cuda/bin
nvcc_path=$(command -v nvcc || echo /usr/local/cuda/bin/nvcc)
# The driver's own libraries (the Vulkan driver among them) where the machine mounts them.
for d in /usr/local/nvidia/lib64 /usr/local/nvidia/lib; do [ -d "$d" ] && LD_LIBRARY_PATH=$LD_LIBRARY_PATH:$d; done
# The NVIDIA Vulkan driver's manifest lives beside the mounted driver on such machines.
icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
if [ -z "${VK_DRIVER_FILES:-}" ] && [ -f "$icd" ] && [ ! -e /usr/share/vulkan/icd.d/nvidia_icd.json ] && [ ! -e /etc/vulkan/icd.d/nvidia_icd.json ]; then
  export VK_DRIVER_FILES=$icd
fi
note "Vulkan driver manifest: ${VK_DRIVER_FILES:-found by the loader}"
ls -l /usr/local/nvidia/share/vulkan/icd.d /usr/share/vulkan/icd.d /etc/vulkan/icd.d /usr/local/nvidia/lib64 >"$logs/driver_files.log" 2>&1
# Khronos' validation layer is 22 MB more than may travel: the tests run unvalidated there and
# say so (they are validated on every CI run, on lavapipe).
export LW_VULKAN_VALIDATION=0

note "$(c++ --version | head -1); $(cmake --version | head -1); nvcc $("$nvcc_path" --version 2>/dev/null | grep -o 'release [0-9.]*')"

# 1. Build (no window, no FFmpeg).
note "configure"
# Headers the sysroot's CMake files name by absolute /usr/include paths (Ableton Link, asio) are
# found there last, after the machine's own.
# No window (no display there: the viewer runs headless), no FFmpeg (video, aubio).
cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DLW_WITH_WINDOW=OFF -DLW_WITH_VIDEO=OFF -DLW_WITH_AUDIO_ANALYSIS=OFF \
  -DLW_PYTHON="$(command -v "$python")" \
  -DLW_WARNINGS_AS_ERRORS=OFF -DCMAKE_CXX_FLAGS="-idirafter $sysroot/usr/include" \
  -DPKG_CONFIG_EXECUTABLE="$sysroot/usr/bin/pkgconf" \
  -DCMAKE_PREFIX_PATH="$torch_prefix;$sysroot/usr" -DCMAKE_CUDA_COMPILER="$nvcc_path" -DLW_CUDA_ARCHITECTURES=90-real \
  -DEigen3_DIR="$sysroot/usr/share/eigen3/cmake" -Dnlohmann_json_DIR="$sysroot/usr/share/cmake/nlohmann_json" \
  -DGTest_DIR="$lib/cmake/GTest" -DPNG_LIBRARY="$lib/libpng16.so" -DPNG_PNG_INCLUDE_DIR="$sysroot/usr/include/libpng16" \
  -DZLIB_LIBRARY="$lib/libz.so" -DZLIB_INCLUDE_DIR="$sysroot/usr/include" \
  -DVulkan_INCLUDE_DIR="$sysroot/usr/include" -DVulkan_LIBRARY="$lib/libvulkan.so" \
  -DLW_GLSLC="$sysroot/usr/bin/glslc" -DLW_LIBLINEAR="$lib/liblinear.so" -DLW_LIBLINEAR_INCLUDE="$sysroot/usr/include" \
  >"$logs/configure.log" 2>&1
rc=$?
record_rc configure "$rc"
[ $rc -eq 0 ] || { note "configure failed:"; tail -30 "$logs/configure.log"; exit 1; }
grep -E "latentwalk: (window|CUDA|audio|video)" "$logs/configure.log" | tee -a "$out/steps.log"
note "build"
# Every file that fails is reported in one go (-k 0), so one run shows all there is to fix.
enough 200 "the build" || exit 1
build_s=$(( $(time_left) - 150 ))
timeout "$build_s" cmake --build build-gpu --parallel "$(nproc)" --target renderer_tests stage_tests stylegan_tests latentwalk \
  -- -k 0 >"$logs/build.log" 2>&1
rc=$?
record_rc build "$rc"
[ $rc -eq 0 ] || { note "build failed (rc $rc, $build_s s allowed):"; grep -E "error|Error" "$logs/build.log" | head -40 | tee -a "$out/steps.log"; exit 1; }
lw=$repo/build-gpu/latentwalk

# What the Vulkan loader finds, and what the NVIDIA driver library needs that is missing.
{ ldd /usr/local/nvidia/lib64/libGLX_nvidia.so.0; cat /usr/share/vulkan/icd.d/nvidia_icd.json
  VK_LOADER_DEBUG=error,warn,driver timeout 30 "$lw" bench --sizes 64 --frames 2 --json; } >"$logs/vulkan_probe.log" 2>&1
grep -E "not found|ERROR|error" "$logs/vulkan_probe.log" | head -8 | tee -a "$out/steps.log"

# 2. The CUDA hand-off tests first: the product's core promise.
note "CUDA hand-off tests"
timeout 90 build-gpu/renderer_tests --gtest_filter='Sinks/Handoff.*:ExternalMemory.*:DeviceChoice.*:HeadlessFrame.*' \
  >"$logs/handoff_tests.log" 2>&1
record_rc handoff_tests "$?"
grep -E "^\[  (PASSED|FAILED|SKIPPED) |^\[  FAILED  \]|^\[  SKIPPED \]" "$logs/handoff_tests.log" | tail -14 | tee -a "$out/steps.log"

# The zero-copy path's pixels: the same frames through the CUDA hand-off (LibTorch's CUDA tensor
# read in place by our kernel) and through host staging, the generator on the GPU in both.
compare_sinks() {  # model-folder-or-empty label
  local model_flag=() sink
  [ -n "$1" ] && model_flag=(--model "$1")
  # (the guarded expansion: an empty array under set -u is an error in bash before 4.4)
  for sink in cuda host; do
    rm -rf "$nets/frames_$sink"
    timeout 60 "$lw" view ${model_flag[@]+"${model_flag[@]}"} --headless --frames 24 --device cuda --sink "$sink" --out "$nets/frames_$sink" \
      --json >"$work/frames_$2_$sink.json" 2>>"$logs/view.log"
  done
  local compared
  compared=$("$python" - "$nets/frames_cuda" "$nets/frames_host" <<'PY'
import json, pathlib, sys
a, b = (sorted(pathlib.Path(d).glob("frame_*.png")) for d in sys.argv[1:3])
if not a or [p.name for p in a] != [p.name for p in b]:
    print(json.dumps({"error": f"frames differ in number: {len(a)} through CUDA, {len(b)} through the host"})); sys.exit()
# The same pixels make the same PNG bytes (one encoder, one setting): decode only frames that differ.
differing = [(x, y) for x, y in zip(a, b) if x.read_bytes() != y.read_bytes()]
result = {"frames": len(a), "identical_frames": len(a) - len(differing)}
if differing:
    import numpy as np
    from PIL import Image
    d = [np.abs(np.asarray(Image.open(x), np.int16) - np.asarray(Image.open(y), np.int16)) for x, y in differing]
    result.update(max_difference=int(max(e.max() for e in d)), share_of_bytes_differing=float(np.mean([np.mean(e > 0) for e in d])))
print(json.dumps(result))
PY
)
  record "pixels_$2" "$compared"
  # Frames that differ, or are missing, fail the check: the two hand-offs must draw the same bytes.
  case "$compared" in *'"error"'*|*'"max_difference"'*|'') failed=1 ;; esac
}
if enough 60 "zero-copy pixels on the default model"; then
  note "frames through the CUDA hand-off against host staging (default model)"
  compare_sinks "" synthfaces
fi

# 3. Imported StyleGAN2 at 512 and 1024 px (NVlabs' own code makes the random-weight networks),
#    drawn by the viewer headless, then timed: our generator beside NVlabs' on the same GPU.
have_nvlabs=0
[ -d "$nvlabs/training" ] && have_nvlabs=1
[ $have_nvlabs -eq 1 ] || note "no NVlabs checkout (.gpu/stylegan3): no network to import"
for res in ${LW_GPU_RESOLUTIONS:-1024 512}; do
  [ $have_nvlabs -eq 1 ] && enough 60 "import and view at $res px" || continue
  pkl=$nets/sg2_$res.pkl
  timeout 60 "$python" scripts/reference/time_nvlabs.py --stylegan3 "$nvlabs" --make "sg2-$res" --pkl "$pkl" >>"$logs/nvlabs.log" 2>&1
  [ -f "$pkl" ] || { note "NVlabs' code made no $res px network (nvlabs.log)"; continue; }
  timeout 60 "$lw" import "$pkl" --out "$nets/sg2_$res" --replace --json >"$work/import_$res.json" 2>>"$logs/import.log"
  record "import_$res" "$(json_of "$work/import_$res.json")"
  note "view --headless at $res px"
  timeout 60 "$lw" view --model "$nets/sg2_$res" --headless --frames 120 --json >"$work/view_$res.json" 2>>"$logs/view.log"
  record "view_$res" "$(json_of "$work/view_$res.json")"
  if [ "$res" = 512 ] && enough 60 "zero-copy pixels at 512 px"; then
    note "frames through the CUDA hand-off against host staging at 512 px"
    compare_sinks "$nets/sg2_512" sg2_512
  fi
  enough 45 "bench at $res px" || continue
  note "bench --model sg2_$res"
  sizes=$([ "$res" = 1024 ] && echo 256,512,1024 || echo "$res")
  timeout 60 "$lw" bench --model "$nets/sg2_$res" --sizes "$sizes" --frames 200 --json >"$work/bench_$res.json" 2>>"$logs/bench.log"
  record "bench_$res" "$(json_of "$work/bench_$res.json")"
  timeout 45 "$lw" bench --model "$nets/sg2_$res" --sizes "$res" --frames 50 --half --json \
    >"$work/bench_half_$res.json" 2>>"$logs/bench.log"
  record "bench_half_$res" "$(json_of "$work/bench_half_$res.json")"
  [ "${LW_GPU_NVLABS_TIMING:-1}" = 1 ] && enough 60 "NVlabs' generator at $res px" || continue
  note "NVlabs' generator at $res px (its CUDA kernels compile on first use)"
  timeout "$(capped 150)" "$python" scripts/reference/time_nvlabs.py --stylegan3 "$nvlabs" \
    --pkl "$pkl" --device cuda --iters 200 --json >"$work/nvlabs_$res.json" 2>>"$logs/nvlabs.log"
  record "nvlabs_$res" "$(json_of "$work/nvlabs_$res.json")"
done

# 4. The stage on the GPU (frames waiting on the generator's CUDA event, no render-thread LibTorch
#    call), then the importer's tests.
if enough 40 "stage tests"; then
  note "stage tests"
  timeout "$(capped 120)" build-gpu/stage_tests \
    --gtest_filter='StageTest.*:TorchCallCounter.*' >"$logs/stage_tests.log" 2>&1
  record_rc stage_tests "$?"
  grep -E "^\[  (PASSED|FAILED|SKIPPED) |^\[  FAILED  \]" "$logs/stage_tests.log" | tail -8 | tee -a "$out/steps.log"
fi
if enough 40 "importer tests"; then
  note "importer tests"
  ( ctest --test-dir build-gpu -R "plugin.stylegan_test_pickles|StyleganImport|ImagesEqual|RejectsBad" -j8 --output-on-failure \
    --timeout "$(capped 120)" >"$logs/importer_tests.log" 2>&1 )
  record_rc importer_tests "$?"
  tail -3 "$logs/importer_tests.log"
fi
rm -rf "$nets"
note "done: $results"
cat "$results"
exit "$failed"
