// RGB8 images on the host and their PNG files: sample grids, strips, screenshots, references.
#pragma once

#include <cstdint>
#include <filesystem>
#include <span>
#include <vector>

namespace lw {

struct ImageRGB8 {
  int width = 0;
  int height = 0;
  std::vector<std::uint8_t> pixels;  // row-major, 3 bytes per pixel

  ImageRGB8() = default;
  ImageRGB8(int w, int h, std::uint8_t fill = 0);
  std::uint8_t* at(int x, int y) { return pixels.data() + (static_cast<std::size_t>(y) * width + x) * 3; }
  const std::uint8_t* at(int x, int y) const { return pixels.data() + (static_cast<std::size_t>(y) * width + x) * 3; }
  // Copies `src` with its top-left corner at (x, y), clipped to this image.
  void blit(const ImageRGB8& src, int x, int y);
};

// Planar float RGB in [lo, hi] (generator output is [-1, 1], dataset renders [0, 1]) to RGB8,
// rounding to nearest and clamping out-of-range values.
ImageRGB8 image_from_planar(std::span<const float> chw, int width, int height, float lo, float hi);

// Small: best compression, for grids and references. Fast: zlib level 1 with the Sub filter,
// several times quicker, for frame sequences written while rendering.
enum class PngCompression { Small, Fast };

// Writes atomically: a temporary file beside `path`, renamed once complete. Throws lw::Error.
void write_png(const std::filesystem::path& path, const ImageRGB8& image,
               PngCompression compression = PngCompression::Small);
// Writes 4-byte pixels (RGBA or, with `bgr`, BGRA as Vulkan swapchains hold them) as an RGB PNG;
// the fourth byte is dropped and the order fixed while encoding, with no conversion pass.
void write_png_rgbx(const std::filesystem::path& path, int width, int height, const std::uint8_t* pixels, bool bgr,
                    PngCompression compression = PngCompression::Small);
ImageRGB8 read_png(const std::filesystem::path& path);

// Lays images out in a grid of `columns`, separated by `gap` pixels of `gap_value`.
ImageRGB8 make_grid(std::span<const ImageRGB8> images, int columns, int gap = 2, std::uint8_t gap_value = 255);

}  // namespace lw
