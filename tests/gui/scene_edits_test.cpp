#include <gtest/gtest.h>

#include "gui/scene_edits.hpp"
#include "gui/stage_layout.hpp"
#include "gui/tile_readouts.hpp"

#include <tuple>

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
  t.start_file = "/photos/me-wplus.npy";
  set_walk_kind(t, WalkKind::DensityPreserving, list, 4);
  EXPECT_EQ(t.start_file, "/photos/me-wplus.npy") << "a photo's start stays with the direction walks";
  set_walk_kind(t, WalkKind::Random, list, 4);
  EXPECT_TRUE(t.start_file.empty()) << "other kinds start from seeds";
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

TEST(TileReadouts, EachLabelReadsItsWalkAtTheCurrentPhase) {
  ViewStatus status;
  status.session.labels = {"linear", "density-preserving"};
  EXPECT_EQ(tile_readouts(status), status.session.labels) << "no plots yet: the bare labels";
  status.paths = {{"linear", {-10.f, -20.f, -40.f}, {}, {-1.f, -3.f, -9.5f}},
                  {"density-preserving", {-10.f, -10.5f, -11.f}, {}, {}}};
  status.path_phase = 1.f;
  const auto lines = tile_readouts(status);
  EXPECT_EQ(lines[0], "linear   dlogp -30.0   realism -9.5");
  EXPECT_EQ(lines[1], "density-preserving   dlogp -1.0") << "a metric the model lacks is left out";
  status.path_phase = 0.5f;
  EXPECT_EQ(tile_readouts(status)[0], "linear   dlogp -10.0   realism -3.0");
}

TEST(StageLayout, PanelsNeverCoverTheTilesAndTheTilesKeepMostOfASmallTarget) {
  auto disjoint = [](const renderer::Rect& a, const renderer::Rect& b) {
    return a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
  };
  for (const auto& [w, h, scale] : {std::tuple{1280.f, 720.f, 1.f}, {960.f, 540.f, 1.f}, {1280.f, 720.f, 2.f},
                                   {3840.f, 2160.f, 2.f}, {512.f, 288.f, 1.f}, {512.f, 288.f, 4.f}}) {
    const StageLayout l = stage_layout(w, h, scale, true, true);
    EXPECT_TRUE(disjoint(l.sidebar, l.tiles) && disjoint(l.plots, l.tiles) && disjoint(l.sidebar, l.plots)) << w << "x" << h;
    EXPECT_GE(l.tiles.width, 0.6f * w - 0.5f) << "the side bar takes at most 40%";
    EXPECT_GE(l.tiles.height, 0.65f * h - 0.5f) << "the plot strip takes at most 35%";
    EXPECT_FLOAT_EQ(l.sidebar.width + l.tiles.width, w);
  }
  EXPECT_GT(stage_layout(1280.f, 720.f, 2.f, true, true).sidebar.width, stage_layout(1280.f, 720.f, 1.f, true, true).sidebar.width)
      << "the UI grows with its scale";
  const StageLayout hidden = stage_layout(1280.f, 720.f, 1.f, false, true);
  EXPECT_EQ(hidden.tiles.width, 1280.f) << "Tab: the tiles take everything";
  EXPECT_EQ(hidden.sidebar.width, 0.f);
  EXPECT_EQ(clamp_ui_scale(9.f), 4.f);
}

}  // namespace
}  // namespace lw::gui
