#include <gtest/gtest.h>

#include <vector>

#include "interop/rgba8_convert.hpp"

namespace lw::interop {
namespace {

TEST(Rgba8Convert, AKnownGradientSurvivesExactly) {
  // Every 8-bit level v encoded as the float the generator would produce for it.
  const int w = 256, h = 3;
  std::vector<float> chw(3 * w * h);
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < h; ++y)
      for (int x = 0; x < w; ++x) {
        const int level = c == 0 ? x : c == 1 ? 255 - x : (x * 7 + y) % 256;
        chw[static_cast<std::size_t>((c * h + y) * w + x)] = static_cast<float>(level) / 255.f * 2.f - 1.f;
      }
  const ImageView view{chw.data(), 1, h, w, -1.f, 1.f};
  const std::size_t pitch = 4 * w + 64;  // a padded row, as a staging buffer may have
  std::vector<std::uint8_t> dst(pitch * h, 0xAB);
  convert_to_rgba8(view, 0, dst, pitch);
  for (int y = 0; y < h; ++y)
    for (int x = 0; x < w; ++x) {
      const std::uint8_t* p = dst.data() + static_cast<std::size_t>(y) * pitch + 4 * static_cast<std::size_t>(x);
      ASSERT_EQ(p[0], x);
      ASSERT_EQ(p[1], 255 - x);
      ASSERT_EQ(p[2], (x * 7 + y) % 256);
      ASSERT_EQ(p[3], 255);
    }
  EXPECT_EQ(dst[4 * w], 0xAB);  // padding untouched
}

TEST(Rgba8Convert, ClampsOutOfRangeAndPicksTheImageOfTheBatch) {
  std::vector<float> chw(2 * 3 * 1 * 2);
  chw[6] = -5.f;  // image 1, red, pixel 0
  chw[7] = 5.f;   // image 1, red, pixel 1
  const ImageView view{chw.data(), 2, 1, 2, -1.f, 1.f};
  std::vector<std::uint8_t> dst(8);
  convert_to_rgba8(view, 1, dst, 8);
  EXPECT_EQ(dst[0], 0);
  EXPECT_EQ(dst[4], 255);
  EXPECT_EQ(dst[1], 128);  // 0.0 sits mid-range
  EXPECT_THROW(convert_to_rgba8(view, 2, dst, 8), std::invalid_argument);
  std::vector<std::uint8_t> small(4);
  EXPECT_THROW(convert_to_rgba8(view, 0, small, 8), std::invalid_argument);
}

}  // namespace
}  // namespace lw::interop
