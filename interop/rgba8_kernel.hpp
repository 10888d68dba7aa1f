// The CUDA conversion of a generator batch to RGBA8 tiles, the same mapping as
// convert_to_rgba8 (the host path): [lo, hi] -> [0, 255], rounded to nearest, clamped, alpha
// 255; tile t at dst + t * height * width * 4. Declared without CUDA types so C++ files include it.
#pragma once

#include <cstdint>

namespace lw::interop {

// Enqueues the conversion of `tiles` planar float images on `stream` (a cudaStream_t); returns
// the launch's cudaError_t as an int (0: success).
int launch_rgba8(const float* src, int tiles, int height, int width, float lo, float hi, std::uint8_t* dst, void* stream);

}  // namespace lw::interop
