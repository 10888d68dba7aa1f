#include "interop/rgba8_convert.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>
#include <string>

namespace lw::interop {

namespace {
std::uint8_t to_byte(float v) { return static_cast<std::uint8_t>(std::min(255.f, std::max(0.f, v))); }
}  // namespace

void convert_to_rgba8(const ImageView& view, int index, std::span<std::uint8_t> dst, std::size_t row_pitch) {
  if (view.data == nullptr || index < 0 || index >= view.batch)
    throw std::invalid_argument("convert_to_rgba8: image " + std::to_string(index) + " is not in a batch of " +
                                std::to_string(view.batch));
  const auto w = static_cast<std::size_t>(view.width), h = static_cast<std::size_t>(view.height);
  if (row_pitch < 4 * w || dst.size() < row_pitch * (h - 1) + 4 * w)
    throw std::invalid_argument("convert_to_rgba8: destination too small for a " + std::to_string(w) + "x" +
                                std::to_string(h) + " image");
  const float* src = view.image(index);
  const auto plane = static_cast<std::size_t>(view.plane());
  const float scale = 255.f / (view.hi - view.lo), offset = -view.lo * scale + 0.5f;
  for (std::size_t y = 0; y < h; ++y) {
    std::uint8_t* row = dst.data() + y * row_pitch;
    const float* r = src + y * w;
    const float* g = r + plane;
    const float* b = g + plane;
    for (std::size_t x = 0; x < w; ++x) {
      // floor(v * scale + offset) rounds to nearest; clamping first keeps the cast defined, and
      // max(0, NaN) is 0, as fmaxf gives in the CUDA kernel.
      row[4 * x + 0] = to_byte(r[x] * scale + offset);
      row[4 * x + 1] = to_byte(g[x] * scale + offset);
      row[4 * x + 2] = to_byte(b[x] * scale + offset);
      row[4 * x + 3] = 255;
    }
  }
}

}  // namespace lw::interop
