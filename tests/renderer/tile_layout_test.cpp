#include <gtest/gtest.h>

#include <stdexcept>

#include "renderer/tile_layout.hpp"

namespace lw::renderer {
namespace {

TEST(TileLayout, OneSquareImageInAWideTargetIsPillarboxed) {
  const auto r = layout_tiles(1, 1280, 720, 64, 64);
  ASSERT_EQ(r.size(), 1u);
  EXPECT_FLOAT_EQ(r[0].width, 720);
  EXPECT_FLOAT_EQ(r[0].height, 720);
  EXPECT_FLOAT_EQ(r[0].x, 280);
  EXPECT_FLOAT_EQ(r[0].y, 0);
}

TEST(TileLayout, TwoTilesSideBySideKeepAspectAndGap) {
  const auto r = layout_tiles(2, 1030, 720, 64, 64, 6);
  ASSERT_EQ(r.size(), 2u);
  EXPECT_FLOAT_EQ(r[0].width, 512);
  EXPECT_FLOAT_EQ(r[0].height, 512);
  EXPECT_FLOAT_EQ(r[0].y, 104);  // letterboxed vertically
  EXPECT_FLOAT_EQ(r[1].x - (r[0].x + r[0].width), 6);
  EXPECT_FLOAT_EQ(r[0].width / r[0].height, 1.f);
}

TEST(TileLayout, RejectsTileCountsOutsideOneToFour) {
  EXPECT_THROW(layout_tiles(0, 100, 100, 1, 1), std::invalid_argument);
  EXPECT_THROW(layout_tiles(5, 100, 100, 1, 1), std::invalid_argument);
  EXPECT_THROW(layout_tiles(2, 0, 100, 1, 1), std::invalid_argument);
}

}  // namespace
}  // namespace lw::renderer
