#include <gtest/gtest.h>

#include "gui/scene_edits.hpp"

namespace lw::gui {
namespace {

Preset one_tile() {
  Preset p;
  p.seed = 7;
  TilePreset t;
  t.label = "linear";
  t.direction = "/m/age.npy";
  p.tiles = {t};
  return p;
}

TEST(SceneEdits, TilesAreAddedUpToFourAndNeverRemovedBelowOne) {
  Preset p = one_tile();
  int selected = 0;
  remove_tile(p, selected);
  EXPECT_EQ(p.tiles.size(), 1u);
  for (int i = 0; i < 5; ++i) add_tile(p, selected);
  ASSERT_EQ(p.tiles.size(), 4u);
  EXPECT_EQ(selected, 3);
  EXPECT_EQ(p.tiles[3].direction, "/m/age.npy") << "a new tile copies the selected one";
  EXPECT_EQ(p.tiles[3].label, "tile 4");
  remove_tile(p, selected);
  EXPECT_EQ(p.tiles.size(), 3u);
  EXPECT_EQ(selected, 2);
  selected = 0;
  remove_tile(p, selected);
  EXPECT_EQ(p.tiles.front().label, "tile 2");
  EXPECT_EQ(selected, 0);
}

TEST(SceneEdits, AlphaZeroRemovesTheEditAndHoldsToggle) {
  Preset p = one_tile();
  const DirectionRef smile{"/m/smile.npy", 0}, glasses{"/m/eyeglasses.npy", 0};
  set_alpha(p, smile, 1.5f);
  set_alpha(p, smile, -2.f);
  ASSERT_EQ(p.edits.size(), 1u);
  EXPECT_EQ(alpha_of(p, smile), -2.f);
  EXPECT_EQ(alpha_of(p, glasses), 0.f);
  set_alpha(p, smile, 0.f);
  ASSERT_EQ(p.edits.size(), 1u) << "moving through 0 keeps the edit: no new scene";
  EXPECT_EQ(alpha_of(p, smile), 0.f);
  set_alpha(p, glasses, 0.f);
  EXPECT_EQ(p.edits.size(), 1u) << "an alpha of 0 adds nothing";
  set_held(p, glasses, true);
  set_held(p, glasses, true);
  EXPECT_EQ(p.hold.size(), 1u);
  EXPECT_TRUE(is_held(p, glasses));
  set_held(p, glasses, false);
  EXPECT_FALSE(is_held(p, glasses));
}

TEST(SceneEdits, AKindChangeFillsInWhatTheKindNeeds) {
  TilePreset t;
  const std::vector<DirectionEntry> list{{"age", "boundary", {"/m/age.npy", 0}}};
  set_walk_kind(t, WalkKind::Keyframes, list, 4);
  EXPECT_EQ(t.keyframes, (std::vector<int>{4, 5, 6}));
  set_walk_kind(t, WalkKind::DensityPreserving, list, 4);
  EXPECT_EQ(t.direction, "/m/age.npy");
  t.direction = "/m/other.npy";
  set_walk_kind(t, WalkKind::Linear, list, 4);
  EXPECT_EQ(t.direction, "/m/other.npy") << "a direction already set is kept";
}

TEST(SceneEdits, KeyframeSeedsParseOnlyWhenEveryEntryIsASeed) {
  std::vector<int> seeds{9, 9};
  EXPECT_TRUE(parse_seeds("1, 2,3", seeds));
  EXPECT_EQ(seeds, (std::vector<int>{1, 2, 3}));
  EXPECT_EQ(seeds_text(seeds), "1, 2, 3");
  for (const char* bad : {"1", "1, x", "1, -2", "1, 2,", "", "1 2"}) {
    std::vector<int> kept{5, 6};
    EXPECT_FALSE(parse_seeds(bad, kept)) << bad;
    EXPECT_EQ(kept, (std::vector<int>{5, 6}));
  }
}

}  // namespace
}  // namespace lw::gui
