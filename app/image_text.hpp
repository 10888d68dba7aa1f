// Text drawn into RGB images on the CPU: the labels of strips, grids and contact sheets and the
// axes of report charts. FreeType renders Debian's DejaVu Sans (fonts-dejavu-core), so labels
// look the same in every build, window or not, and on every machine set up by scripts/setup.sh.
#pragma once

#include <array>
#include <cstdint>
#include <memory>
#include <string_view>

#include "core/image.hpp"

namespace lw::app {

using Rgb = std::array<std::uint8_t, 3>;

class ImageText {
 public:
  // Text `pixel_size` pixels high (the em). Throws lw::Error naming the font file when it is
  // missing or unreadable.
  explicit ImageText(int pixel_size);
  ~ImageText();
  ImageText(const ImageText&) = delete;
  ImageText& operator=(const ImageText&) = delete;

  int line_height() const;
  // Width in pixels of UTF-8 `text` (ε, α and other Greek letters included).
  int width(std::string_view text) const;
  // Draws UTF-8 `text` with the top of its line at y, blended over the image, clipped to it.
  void draw(ImageRGB8& image, std::string_view text, int x, int y, Rgb colour) const;

 private:
  struct Face;
  std::unique_ptr<Face> face_;
};

}  // namespace lw::app
