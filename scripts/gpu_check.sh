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
# Results: $OUT/gpu_check.json (or ./gpu_check.json), each step's log in the same folder.
# Usage (there): ./scripts/gpu_check.sh     Time: about 6 minutes on 16 cores.
set -uo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
out=${OUT:-$repo/gpu-check-out}
mkdir -p "$out"
sysroot=$repo/.gpu/sysroot
nvlabs=$repo/.gpu/stylegan3
python=${PYTHON:-python3}
results=$out/gpu_check.json
work=$out/work
mkdir -p "$work"

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

[ -d "$sysroot" ] || { echo "gpu_check: .gpu/sysroot is missing: run scripts/gpu_prepare.sh where apt-get works and carry .gpu" >&2; exit 1; }
command -v nvidia-smi >/dev/null || { echo "gpu_check: no nvidia-smi: this machine has no NVIDIA driver" >&2; exit 1; }
gpu=$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)
torch_prefix=$("$python" -c "import torch; print(torch.utils.cmake_prefix_path)")
torch_version=$("$python" -c "import torch; print(torch.__version__, torch.version.cuda, torch.cuda.is_available())")
note "GPU: $gpu; torch $torch_version"
record gpu "\"$gpu\""
record torch "\"$torch_version\""

lib=$sysroot/usr/lib/x86_64-linux-gnu
export LD_LIBRARY_PATH=$lib:$lib/blas:${LD_LIBRARY_PATH:-}
export PKG_CONFIG_SYSROOT_DIR=$sysroot
export PKG_CONFIG_LIBDIR=$lib/pkgconfig:$sysroot/usr/share/pkgconfig
export PATH=$sysroot/usr/bin:$PATH

# 1. Build (no FFmpeg; the window parts when GLFW and Dear ImGui from the sysroot configure).
note "configure"
cmake -S . -B build-gpu -G Ninja -DCMAKE_BUILD_TYPE=Release -DLW_WITH_VIDEO=OFF -DLW_WARNINGS_AS_ERRORS=OFF \
  -DCMAKE_PREFIX_PATH="$torch_prefix" -DLW_CUDA_ARCHITECTURES=90-real \
  -DEigen3_DIR="$sysroot/usr/share/eigen3/cmake" -Dnlohmann_json_DIR="$sysroot/usr/share/cmake/nlohmann_json" \
  -DGTest_DIR="$lib/cmake/GTest" -DPNG_LIBRARY="$lib/libpng16.so" -DPNG_PNG_INCLUDE_DIR="$sysroot/usr/include/libpng16" \
  -DZLIB_LIBRARY="$lib/libz.so" -DZLIB_INCLUDE_DIR="$sysroot/usr/include" \
  -DVulkan_INCLUDE_DIR="$sysroot/usr/include" -DVulkan_LIBRARY="$lib/libvulkan.so" \
  -DLW_GLSLC="$sysroot/usr/bin/glslc" -DLW_LIBLINEAR="$lib/liblinear.so" -DLW_LIBLINEAR_INCLUDE="$sysroot/usr/include" \
  >"$out/configure.log" 2>&1
rc=$?
record configure "$rc"
[ $rc -eq 0 ] || { note "configure failed:"; tail -30 "$out/configure.log"; exit 1; }
grep -E "latentwalk: (window|CUDA)" "$out/configure.log" | tee -a "$out/steps.log"
note "build"
timeout 330 cmake --build build-gpu --parallel "$(nproc)" --target latentwalk renderer_tests stage_tests stylegan_tests >"$out/build.log" 2>&1
rc=$?
record build "$rc"
[ $rc -eq 0 ] || { note "build failed:"; grep -E "error|Error" "$out/build.log" | head -30; exit 1; }
lw=$repo/build-gpu/latentwalk

# 2. The CUDA hand-off tests, then the importer's.
note "CUDA hand-off tests"
timeout 90 build-gpu/renderer_tests --gtest_filter='Sinks/Handoff.*:ExternalMemory.*:DeviceChoice.*' \
  >"$out/handoff_tests.log" 2>&1
record handoff_tests "$?"
grep -E "^\[  (PASSED|FAILED|SKIPPED) |^\[  FAILED  \]|Skipped" "$out/handoff_tests.log" | tail -12
note "stage tests"
timeout 120 build-gpu/stage_tests --gtest_filter='StageTest.*:TorchCallCounter.*' >"$out/stage_tests.log" 2>&1
record stage_tests "$?"
grep -E "^\[  (PASSED|FAILED) |^\[  FAILED  \]" "$out/stage_tests.log" | tail -8
note "importer tests"
( ctest --test-dir build-gpu -R "plugin.stylegan_test_pickles|StyleganImport|ImagesEqual|RejectsBad" -j8 --timeout 120 \
  >"$out/importer_tests.log" 2>&1 )
record importer_tests "$?"
tail -3 "$out/importer_tests.log"

# 3. Imported StyleGAN2 at 512 and 1024 px drawn by the viewer, headless.
have_nvlabs=0
[ -d "$nvlabs/training" ] && have_nvlabs=1
for res in 256 512 1024; do
  pkl=$work/sg2_$res.pkl
  if [ $have_nvlabs -eq 1 ]; then
    timeout 120 "$python" scripts/reference/time_nvlabs.py --stylegan3 "$nvlabs" --make "sg2-$res" --pkl "$pkl" \
      >>"$out/nvlabs.log" 2>&1
  fi
  [ -f "$pkl" ] || { note "no NVlabs checkout (.gpu/stylegan3): no $res px network to import"; continue; }
  timeout 120 "$lw" import "$pkl" --out "$work/sg2_$res" --replace --json >"$work/import_$res.json" 2>>"$out/import.log"
  record "import_$res" "$(cat "$work/import_$res.json" 2>/dev/null || echo '"failed"')"
  if [ "$res" != 256 ] && "$lw" --help | grep -q "^  view"; then
    note "view --headless at $res px"
    timeout 120 "$lw" view --model "$work/sg2_$res" --headless --frames 120 --json >"$work/view_$res.json" 2>>"$out/view.log"
    record "view_$res" "$(cat "$work/view_$res.json" 2>/dev/null || echo '"failed"')"
  fi
done

# 4. bench at 256/512/1024 with our generator, NVlabs' beside it on the same GPU.
for res in 256 512 1024; do
  [ -d "$work/sg2_$res" ] || continue
  note "bench --model sg2_$res"
  timeout 120 "$lw" bench --model "$work/sg2_$res" --sizes 256,512,1024 --frames 200 --json \
    >"$work/bench_$res.json" 2>>"$out/bench.log"
  record "bench_$res" "$(cat "$work/bench_$res.json" 2>/dev/null || echo '"failed"')"
  timeout 90 "$lw" bench --model "$work/sg2_$res" --sizes 1024 --frames 20 --half --json \
    >"$work/bench_half_$res.json" 2>>"$out/bench.log"
  record "bench_half_$res" "$(cat "$work/bench_half_$res.json" 2>/dev/null || echo '"failed"')"
  if [ $have_nvlabs -eq 1 ]; then
    timeout 150 "$python" scripts/reference/time_nvlabs.py --stylegan3 "$nvlabs" --pkl "$work/sg2_$res.pkl" \
      --device cuda --iters 200 --json >"$work/nvlabs_$res.json" 2>>"$out/nvlabs.log"
    record "nvlabs_$res" "$(tail -1 "$work/nvlabs_$res.json" 2>/dev/null || echo '"failed"')"
  fi
done
rm -f "$work"/*.pkl
note "done: $results"
cat "$results"
