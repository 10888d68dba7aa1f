#include "core/image.hpp"

#include <png.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <memory>

#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"

namespace lw {

ImageRGB8::ImageRGB8(int w, int h, std::uint8_t fill)
    : width(w), height(h), pixels(static_cast<std::size_t>(w) * static_cast<std::size_t>(h) * 3, fill) {
  LW_EXPECT(w >= 0 && h >= 0, "image size must not be negative, got " << w << "x" << h);
}

void ImageRGB8::blit(const ImageRGB8& src, int x, int y) {
  for (int j = 0; j < src.height; ++j) {
    const int ty = y + j;
    if (ty < 0 || ty >= height) continue;
    for (int i = 0; i < src.width; ++i) {
      const int tx = x + i;
      if (tx < 0 || tx >= width) continue;
      std::copy_n(src.at(i, j), 3, at(tx, ty));
    }
  }
}

ImageRGB8 image_from_planar(std::span<const float> chw, int width, int height, float lo, float hi) {
  const auto plane = static_cast<std::size_t>(width) * static_cast<std::size_t>(height);
  LW_EXPECT(chw.size() == 3 * plane, "planar image holds " << chw.size() << " values, expected 3*" << width << "*" << height);
  ImageRGB8 out(width, height);
  const float scale = 255.f / (hi - lo);
  for (std::size_t k = 0; k < plane; ++k)
    for (std::size_t c = 0; c < 3; ++c) {
      const float v = std::round((chw[c * plane + k] - lo) * scale);
      out.pixels[k * 3 + c] = static_cast<std::uint8_t>(std::clamp(v, 0.f, 255.f));
    }
  return out;
}

namespace {
struct FileCloser {
  void operator()(std::FILE* f) const { std::fclose(f); }
};
using File = std::unique_ptr<std::FILE, FileCloser>;
}  // namespace

namespace {
// One encoder for both layouts: `channels` 3 (RGB) or 4 (RGBX / BGRX, the fourth byte dropped).
void encode_png(const std::filesystem::path& path, int width, int height, const std::uint8_t* pixels, int channels,
                bool bgr, PngCompression compression) {
  LW_EXPECT(width > 0 && height > 0, "cannot write an empty image to " << path.string());
  AtomicFile out(path);
  {
    File f(std::fopen(out.temp_path().c_str(), "wb"));
    LW_EXPECT(f != nullptr, "cannot open " << out.temp_path().string() << " for writing");
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
    png_infop info = png ? png_create_info_struct(png) : nullptr;
    LW_EXPECT(png != nullptr && info != nullptr, "libpng could not start writing " << path.string());
    if (setjmp(png_jmpbuf(png))) {
      png_destroy_write_struct(&png, &info);
      LW_FAIL("libpng failed while writing " << path.string());
    }
    png_init_io(png, f.get());
    png_set_IHDR(png, info, static_cast<png_uint_32>(width), static_cast<png_uint_32>(height), 8, PNG_COLOR_TYPE_RGB,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    if (compression == PngCompression::Fast) {
      png_set_compression_level(png, 1);
      png_set_filter(png, PNG_FILTER_TYPE_BASE, PNG_FILTER_SUB);
    }
    png_write_info(png, info);
    if (channels == 4) png_set_filler(png, 0, PNG_FILLER_AFTER);  // input rows carry a 4th byte to skip
    if (bgr) png_set_bgr(png);
    const std::size_t stride = static_cast<std::size_t>(width) * channels;
    for (int y = 0; y < height; ++y) png_write_row(png, const_cast<png_bytep>(pixels + stride * y));
    png_write_end(png, nullptr);
    png_destroy_write_struct(&png, &info);
    LW_EXPECT(std::fflush(f.get()) == 0, "cannot write " << out.temp_path().string() << " (disk full?)");
  }
  out.commit();
}
}  // namespace

void write_png(const std::filesystem::path& path, const ImageRGB8& image, PngCompression compression) {
  encode_png(path, image.width, image.height, image.pixels.data(), 3, false, compression);
}

void write_png_rgbx(const std::filesystem::path& path, int width, int height, const std::uint8_t* pixels, bool bgr,
                    PngCompression compression) {
  encode_png(path, width, height, pixels, 4, bgr, compression);
}

ImageRGB8 read_png(const std::filesystem::path& path) {
  File f(std::fopen(path.c_str(), "rb"));
  LW_EXPECT(f != nullptr, "cannot open PNG " << path.string());
  png_byte sig[8] = {};
  LW_EXPECT(std::fread(sig, 1, 8, f.get()) == 8 && png_sig_cmp(sig, 0, 8) == 0, path.string() << " is not a PNG file");
  png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, nullptr, nullptr, nullptr);
  png_infop info = png ? png_create_info_struct(png) : nullptr;
  LW_EXPECT(png != nullptr && info != nullptr, "libpng could not start reading " << path.string());
  ImageRGB8 out;
  if (setjmp(png_jmpbuf(png))) {
    png_destroy_read_struct(&png, &info, nullptr);
    LW_FAIL("corrupt PNG file " << path.string());
  }
  png_init_io(png, f.get());
  png_set_sig_bytes(png, 8);
  png_read_info(png, info);
  // Normalise every PNG flavour to 8-bit RGB.
  png_set_strip_16(png);
  png_set_palette_to_rgb(png);
  png_set_gray_to_rgb(png);
  png_set_strip_alpha(png);
  png_set_expand_gray_1_2_4_to_8(png);
  png_read_update_info(png, info);
  out = ImageRGB8(static_cast<int>(png_get_image_width(png, info)), static_cast<int>(png_get_image_height(png, info)));
  for (int y = 0; y < out.height; ++y) png_read_row(png, out.at(0, y), nullptr);
  png_read_end(png, nullptr);
  png_destroy_read_struct(&png, &info, nullptr);
  return out;
}

ImageRGB8 make_grid(std::span<const ImageRGB8> images, int columns, int gap, std::uint8_t gap_value) {
  LW_EXPECT(!images.empty(), "a grid needs at least one image");
  LW_EXPECT(columns > 0, "a grid needs at least one column");
  const int cw = images[0].width, ch = images[0].height;
  const int n = static_cast<int>(images.size());
  const int cols = std::min(columns, n), rows = (n + columns - 1) / columns;
  ImageRGB8 out(cols * cw + (cols + 1) * gap, rows * ch + (rows + 1) * gap, gap_value);
  for (int k = 0; k < n; ++k) {
    const auto& im = images[static_cast<std::size_t>(k)];
    LW_EXPECT(im.width == cw && im.height == ch, "grid images differ in size: " << im.width << "x" << im.height
                                                                                << " vs " << cw << "x" << ch);
    out.blit(im, gap + (k % columns) * (cw + gap), gap + (k / columns) * (ch + gap));
  }
  return out;
}

}  // namespace lw
