#!/usr/bin/env bash
# Prepares what scripts/gpu_check.sh needs on a machine with an NVIDIA GPU and no package
# registry, into .gpu/ (ignored by git; carry it to that machine beside the working tree):
#   .gpu/sysroot/  the Debian packages the build needs beyond a CUDA PyTorch image (headers and
#                  libraries: Eigen, nlohmann-json, libpng, Vulkan's loader, glslc, liblinear,
#                  GoogleTest), unpacked with dpkg -x, never installed;
#   .gpu/stylegan3 a checkout of NVlabs/stylegan3 to time NVIDIA's own generator beside ours
#                  (read and run there, never part of latentwalk). Pass its path as $1, or set
#                  LW_STYLEGAN3; without one the NVlabs timings are skipped.
# Run here, where apt-get can download: ./scripts/gpu_prepare.sh /path/to/stylegan3
set -euo pipefail
cd "$(dirname "$0")/.."
root=.gpu
packages=(libeigen3-dev nlohmann-json3-dev libpng-dev libpng16-16 zlib1g-dev libvulkan-dev libvulkan1 glslc
          libshaderc1 liblinear-dev liblinear4 libblas3 libgtest-dev libgmock-dev
          libglfw3 libglfw3-dev libimgui-dev libstb-dev libstb0 libx11-6 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0)
rm -rf "$root/debs" "$root/sysroot"
mkdir -p "$root/debs" "$root/sysroot"
(cd "$root/debs" && apt-get download "${packages[@]}" 2>&1 | grep -v "^W: Download is performed unsandboxed" || true)
for deb in "$root"/debs/*.deb; do dpkg -x "$deb" "$root/sysroot"; done
rm -rf "$root/debs"
# Documentation is not needed there; the carried folder must stay small.
rm -rf "$root/sysroot/usr/share/doc" "$root/sysroot/usr/share/man"
src="${1:-${LW_STYLEGAN3:-}}"
if [ -n "$src" ]; then
  rm -rf "$root/stylegan3"
  mkdir -p "$root/stylegan3"
  cp -r "$src"/dnnlib "$src"/torch_utils "$src"/training "$src"/legacy.py "$root/stylegan3/"
fi
du -sh "$root"
echo "carry .gpu with the working tree, then run scripts/gpu_check.sh there"
