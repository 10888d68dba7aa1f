#include "interop/rgba8_kernel.hpp"

#include <cuda_runtime.h>

namespace lw::interop {

namespace {

// One thread per pixel: reads the three planes, writes four bytes as one 32-bit store.
__global__ void rgba8(const float* __restrict__ src, int plane, float scale, float offset, unsigned* __restrict__ dst,
                      int total) {
  const int i = blockIdx.x * blockDim.x + threadIdx.x;
  if (i >= total) return;
  const int tile = i / plane, p = i - tile * plane;
  const float* base = src + static_cast<long long>(tile) * 3 * plane + p;
  // floor(v * scale + offset) with offset holding the +0.5: rounds to nearest as the host path;
  // multiply and add rounded separately (no fused multiply-add), so both paths give the same bytes.
  auto byte = [&](float v) { return static_cast<unsigned>(fminf(fmaxf(__fadd_rn(__fmul_rn(v, scale), offset), 0.f), 255.f)); };
  const unsigned r = byte(base[0]), g = byte(base[plane]), b = byte(base[2 * plane]);
  dst[i] = r | (g << 8) | (b << 16) | (255u << 24);
}

}  // namespace

int launch_rgba8(const float* src, int tiles, int height, int width, float lo, float hi, std::uint8_t* dst, void* stream) {
  const int plane = height * width, total = tiles * plane;
  const float scale = 255.f / (hi - lo), offset = -lo * scale + 0.5f;
  constexpr int kBlock = 256;
  rgba8<<<(total + kBlock - 1) / kBlock, kBlock, 0, static_cast<cudaStream_t>(stream)>>>(
      src, plane, scale, offset, reinterpret_cast<unsigned*>(dst), total);
  return static_cast<int>(cudaGetLastError());
}

}  // namespace lw::interop
