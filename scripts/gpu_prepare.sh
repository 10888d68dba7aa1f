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
# Without FFmpeg (video, and aubio's audio analysis, which links it): its closure is larger than
# what may travel. Live control's libraries come with their own closure (ALSA, JACK and theirs);
# GLVND's dispatch libraries are what the NVIDIA Vulkan driver loads beside it.
packages=(libeigen3-dev nlohmann-json3-dev libpng-dev libpng16-16 zlib1g-dev libvulkan-dev libvulkan1 glslc
          libshaderc1 liblinear-dev liblinear4 libblas3 libgtest-dev libgmock-dev
          libglfw3 libglfw3-dev libimgui-dev libstb-dev libstb0 libx11-6 libxcb1 libxau6 libxdmcp6 libbsd0 libmd0
          libglvnd0 libcli11-dev libfreetype-dev libfreetype6 libbrotli1 liblo-dev liblo7
          portaudio19-dev libportaudio2 librtmidi-dev librtmidi6 libasound2-dev libasound2
          libjack-jackd2-dev libjack-jackd2-0 libdb5.3 zlib1g ableton-link-dev libasio-dev pkgconf-bin libpkgconf3
          libegl1 libopengl0 libgl1 libglx0 libgles2)
rm -rf "$root/debs" "$root/sysroot"
mkdir -p "$root/debs" "$root/sysroot"
(cd "$root/debs" && apt-get download "${packages[@]}" 2>&1 | grep -v "^W: Download is performed unsandboxed" || true)
for deb in "$root"/debs/*.deb; do dpkg -x "$deb" "$root/sysroot"; done
rm -rf "$root/debs"
# Documentation is not needed there; the carried folder must stay small.
# Documentation, Vulkan's registry, its C++ bindings and static libraries the build does not link
# are not needed there; the carried folder must stay small (64 MiB with the working tree).
rm -rf "$root/sysroot/usr/share/doc" "$root/sysroot/usr/share/man" "$root/sysroot/usr/share/vulkan"
rm -f "$root"/sysroot/usr/include/vulkan/*.hpp "$root"/sysroot/usr/include/vulkan/*.cppm
find "$root/sysroot" -name "*.a" ! -name "libgtest*.a" ! -name "libgmock*.a" ! -name "libimgui.a" -delete
# JACK's server and network libraries, Brotli's encoder and Eigen's unsupported modules: nothing
# here links or includes them.
# Ableton Link's CMake file names its headers by absolute /usr/include paths: into the sysroot.
sed -i 's|/usr/include|${CMAKE_CURRENT_LIST_DIR}/../../../include|' "$root/sysroot/usr/share/cmake/AbletonLinkConfig/AbletonLinkConfig.cmake"
# zlib's development link is absolute (/lib/...): point it into the sysroot.
ln -sf ../../../lib/x86_64-linux-gnu/libz.so.1 "$root/sysroot/usr/lib/x86_64-linux-gnu/libz.so"
rm -rf "$root"/sysroot/usr/lib/x86_64-linux-gnu/libjack{server,net}.so* \
  "$root"/sysroot/usr/lib/x86_64-linux-gnu/libbrotlienc.so* "$root/sysroot/usr/include/eigen3/unsupported"
src="${1:-${LW_STYLEGAN3:-}}"
if [ -n "$src" ]; then
  rm -rf "$root/stylegan3"
  mkdir -p "$root/stylegan3"
  cp -r "$src"/dnnlib "$src"/torch_utils "$src"/training "$src"/legacy.py "$root/stylegan3/"
fi
du -sh "$root"
echo "carry .gpu with the working tree, then run scripts/gpu_check.sh there"
