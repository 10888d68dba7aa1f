#!/usr/bin/env bash
# Installs every Debian package latentwalk needs to build, test and run.
# Idempotent: when all packages are present it installs nothing and exits 0.
# --checks adds what the fuzzers and sanitizer builds need (scripts/fuzz.sh, scripts/check.sh).
set -euo pipefail

PACKAGES=(
  # toolchain
  build-essential cmake ninja-build pkg-config git
  # core and plugin
  # libtorch runs its matrix products through the system BLAS: OpenBLAS, not the reference one
  libtorch-dev libopenblas0-pthread libeigen3-dev nlohmann-json3-dev liblinear-dev libpng-dev
  # command lines of the subcommands
  libcli11-dev
  # labels drawn into images (strips, contact sheets, sample grids)
  libfreetype-dev fonts-dejavu-core
  # live control: OSC (liblo); its tools and Python binding drive the tests as real clients
  liblo-dev liblo-tools python3-liblo
  # audio features: onsets, beats, tempo
  libaubio-dev
  # live audio input (ALSA, JACK, PulseAudio/PipeWire through one API)
  portaudio19-dev
  # MIDI in (the ALSA sequencer)
  librtmidi-dev
  # tempo sync (Ableton Link; its LinkHut is a second peer to try it with)
  ableton-link-dev libasio-dev ableton-link-utils
  # tests
  libgtest-dev libgmock-dev python3-numpy
  # tests of the StyleGAN importer write pickles in NVlabs' byte layout with torch's own reducers
  python3-torch
  # renderer, interop and gui
  libvulkan-dev vulkan-validationlayers mesa-vulkan-drivers glslc
  libglfw3-dev libimgui-dev xvfb xauth
  # the window's faults: a window manager in Xvfb, and a tool that minimises and resizes as a user does
  twm xdotool
  # video
  libavcodec-dev libavformat-dev libavutil-dev libswscale-dev libswresample-dev ffmpeg
)

# scripts/fuzz.sh and scripts/check.sh: clang with its sanitizer and libFuzzer runtimes.
if [ "${1:-}" = "--checks" ]; then
  PACKAGES+=(clang libclang-rt-dev)
fi

missing=()
for p in "${PACKAGES[@]}"; do
  # dpkg-query prints "install ok installed" only for fully installed packages.
  if [ "$(dpkg-query -W -f='${Status}' "$p" 2>/dev/null)" != "install ok installed" ]; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${#missing[@]} Debian package(s): ${missing[*]}"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null; then SUDO="sudo"; else
    echo "setup: missing packages and not root (no sudo): ${missing[*]}" >&2; exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
