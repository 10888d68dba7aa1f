// Labelled grids: the images where the labels leave room for them, the labels drawn as ink.
#include "app/labelled_grid.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "app/image_text.hpp"

namespace lw::app {
namespace {

// Dark pixels (any channel under 128) in the rectangle [x0, x1) x [y0, y1).
int ink(const ImageRGB8& img, int x0, int y0, int x1, int y1) {
  int n = 0;
  for (int y = y0; y < y1; ++y)
    for (int x = x0; x < x1; ++x) n += img.at(x, y)[0] < 128 || img.at(x, y)[1] < 128 ? 1 : 0;
  return n;
}

TEST(LabelledGrid, ImagesSitBelowColumnLabelsAndRightOfRowLabels) {
  const std::vector<ImageRGB8> tiles(4, ImageRGB8(64, 64, 200));
  const ImageRGB8 plain = make_grid(tiles, 2);
  const ImageRGB8 out = make_labelled_grid(tiles, 2, {"SynthFaces: age in W", {"ε 0", "ε 8"}, {"linear", "density-preserving"}});
  ASSERT_GT(out.width, plain.width);
  ASSERT_GT(out.height, plain.height);
  const int left = out.width - plain.width, top = out.height - plain.height;
  for (int y = 0; y < plain.height; ++y)  // the grid itself, unchanged, in the bottom right
    for (int x = 0; x < plain.width; ++x)
      ASSERT_EQ(std::memcmp(out.at(left + x, top + y), plain.at(x, y), 3), 0) << x << "," << y;
  EXPECT_GT(ink(out, 0, 0, out.width, top / 2), 20);            // the title
  EXPECT_GT(ink(out, left, top / 2, left + 64, top), 5);        // "ε 0" above the first column
  EXPECT_GT(ink(out, 0, top, left, top + 64), 20);              // "linear" left of the first row
  EXPECT_GT(ink(out, 0, top + 66, left, top + 130), 20);        // "density-preserving" left of the second
}

TEST(LabelledGrid, NoLabelsIsThePlainGrid) {
  const std::vector<ImageRGB8> tiles(3, ImageRGB8(16, 16, 90));
  const ImageRGB8 plain = make_grid(tiles, 3), out = make_labelled_grid(tiles, 3, {});
  EXPECT_EQ(out.width, plain.width);
  EXPECT_EQ(out.pixels, plain.pixels);
}

TEST(ImageText, GreekLettersHaveGlyphsAndWidthGrowsWithText) {
  const ImageText text(14);
  EXPECT_GT(text.width("εα"), 10);
  EXPECT_GT(text.width("density-preserving"), text.width("linear"));
  EXPECT_GT(text.line_height(), 10);
  EXPECT_GT(text.width("\xff broken"), text.width(" broken"));  // a bad byte is drawn as U+FFFD, not dropped or fatal
}

}  // namespace
}  // namespace lw::app
