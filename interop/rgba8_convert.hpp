// Conversion of one planar float image to interleaved RGBA8 rows: the single pass that writes a
// generator image into a staging buffer (host path) in the layout a Vulkan R8G8B8A8 image takes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

#include "interop/image_view.hpp"

namespace lw::interop {

// Writes image `index` of `view` to `dst`, `row_pitch` bytes per row (>= 4 * width). Values are
// mapped [lo, hi] -> [0, 255], rounded to nearest and clamped; alpha is 255.
void convert_to_rgba8(const ImageView& view, int index, std::span<std::uint8_t> dst, std::size_t row_pitch);

}  // namespace lw::interop
