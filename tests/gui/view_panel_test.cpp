// The overlay without a window or a GPU: Dear ImGui with no back end, fed input by hand.
#include <gtest/gtest.h>
#include <imgui.h>

#include <optional>

#include "app/stage/frame_time_history.hpp"
#include "gui/panels.hpp"
#include "gui/view_panel.hpp"

namespace lw::gui {
namespace {

class HeadlessImGui : public ::testing::Test {
 protected:
  void SetUp() override {
    ImGui::CreateContext();
    ImGuiIO& io = ImGui::GetIO();
    io.IniFilename = nullptr;
    io.DisplaySize = ImVec2(1280, 720);
    io.KeyMap[ImGuiKey_Space] = 32;
    io.KeyMap[ImGuiKey_Tab] = 9;
    io.KeyMap[ImGuiKey_LeftArrow] = 263;  // GLFW's codes, as the back end maps them
    io.KeyMap[ImGuiKey_RightArrow] = 262;
    unsigned char* pixels = nullptr;
    int w = 0, h = 0;
    io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);  // the atlas a back end would upload
  }
  void TearDown() override { ImGui::DestroyContext(); }

  // One UI frame with `key` held down (-1: none) and the left button down at `mouse` when
  // given; returns the vertices drawn.
  int frame(ViewPanel& panel, const ViewStatus& status, ViewSettings& settings, int key = -1,
            std::optional<ImVec2> mouse = std::nullopt) {
    ImGuiIO& io = ImGui::GetIO();
    io.DeltaTime = 1.f / 60.f;
    for (bool& down : io.KeysDown) down = false;
    if (key >= 0) io.KeysDown[key] = true;
    io.MouseDown[0] = mouse.has_value();
    if (mouse) io.MousePos = *mouse;
    ImGui::NewFrame();
    apply_view_input(tiles_, settings);
    const std::string labels[] = {"linear", "density-preserving"};
    draw_tile_labels(tiles_, labels);
    if (settings.show_ui) panel.draw(status, settings);
    ImGui::Render();
    return ImGui::GetDrawData()->TotalVtxCount;
  }

  // One panel alone in a window; returns the vertices drawn.
  template <typename Draw>
  int panel_frame(Draw&& draw) {
    ImGui::GetIO().DeltaTime = 1.f / 60.f;
    ImGui::NewFrame();
    ImGui::SetNextWindowSize(ImVec2(400, 600));
    ImGui::Begin("panel");
    draw();
    ImGui::End();
    ImGui::Render();
    return ImGui::GetDrawData()->TotalVtxCount;
  }

  const std::vector<renderer::Rect> tiles_{{0, 0, 600, 600}, {640, 0, 600, 600}};
};

Preset two_tiles() {
  Preset p;
  p.model = "/models/m";
  TilePreset a;
  a.label = "linear";
  a.direction = "/models/m/boundaries/z/age.npy";
  TilePreset b = a;
  b.label = "density-preserving";
  b.walk = WalkKind::DensityPreserving;
  p.tiles = {a, b};
  return p;
}

TEST_F(HeadlessImGui, PanelDrawsTheStatusAndTheTimes) {
  stage::FrameTimeHistory history(64);
  for (int i = 0; i < 10; ++i) {
    history.record(stage::Timing::Generate, 5.f + i);
    history.record(stage::Timing::Frame, 16.f);
  }
  ViewStatus status;
  status.session.model = "SynthFaces";
  status.sink = "host-staging";
  status.device = "llvmpipe";
  status.history = &history;
  ViewSettings settings;
  ViewPanel panel;
  frame(panel, status, settings);  // an auto-sized window is measured, not shown, on its first frame
  const int with_panel = frame(panel, status, settings);
  settings.show_ui = false;
  const int labels_only = frame(panel, status, settings);
  EXPECT_GT(labels_only, 0) << "tile labels stay when the panel is hidden";
  EXPECT_GT(with_panel, labels_only * 5);
}

TEST_F(HeadlessImGui, SpaceTogglesPlayAndTabTogglesTheUiOncePerPress) {
  ViewStatus status;
  ViewSettings settings;
  ViewPanel panel;
  frame(panel, status, settings);
  ASSERT_TRUE(settings.playing);
  frame(panel, status, settings, 32);
  EXPECT_FALSE(settings.playing);
  frame(panel, status, settings, 32);  // still held: no repeat
  EXPECT_FALSE(settings.playing);
  frame(panel, status, settings);
  frame(panel, status, settings, 32);
  EXPECT_TRUE(settings.playing);
  frame(panel, status, settings, 9);
  EXPECT_FALSE(settings.show_ui);
  frame(panel, status, settings);
  frame(panel, status, settings, 9);
  EXPECT_TRUE(settings.show_ui);
}

TEST_F(HeadlessImGui, ComparePlotsDrawEachTilesPathsWithAMarker) {
  ViewStatus status;
  ViewSettings settings;
  ViewPanel panel;
  frame(panel, status, settings);
  const int without = frame(panel, status, settings);
  PathPlot linear{"linear", {-90.f, -95.f, -120.f}, {8.f, 9.f, 11.f}, {0.4f, 0.1f, -2.f}};
  PathPlot dp{"density-preserving", {-90.f, -90.f, -90.f}, {8.f, 8.f, 8.f}, {0.4f, 0.35f, 0.3f}};
  status.paths = {linear, dp};
  status.path_phase = 0.5f;
  frame(panel, status, settings);  // the panel grows to fit: measured on this frame
  const int with = frame(panel, status, settings);
  // Three plots: a background, two lines of two segments each and a marker per plot, plus labels.
  EXPECT_GT(with, without + 3 * (4 + 4 * 4 + 4));
  // A metric the model cannot give (no discriminator) is left out rather than drawn flat.
  status.paths[0].realism.clear();
  status.paths[1].realism.clear();
  const int no_realism = frame(panel, status, settings);
  EXPECT_LT(no_realism, with);
}

TEST_F(HeadlessImGui, ArrowsStepFramesFTogglesFullscreenSAsksForAScreenshot) {
  ViewStatus status;
  ViewSettings settings;
  ViewPanel panel;
  frame(panel, status, settings);
  frame(panel, status, settings, 262);
  frame(panel, status, settings);
  frame(panel, status, settings, 262);
  frame(panel, status, settings);
  frame(panel, status, settings, 263);
  auto steps = [&] {
    int n = 0;
    for (const auto& c : settings.commands)
      if (c.kind == Command::Kind::Step) n += c.count;
    return n;
  };
  EXPECT_EQ(steps(), 1) << "right twice, left once";
  frame(panel, status, settings);
  frame(panel, status, settings, 'F');
  EXPECT_TRUE(settings.fullscreen);
  frame(panel, status, settings, 'F');  // held: no repeat
  EXPECT_TRUE(settings.fullscreen);
  auto shots = [&] {
    return std::count_if(settings.commands.begin(), settings.commands.end(),
                         [](const Command& c) { return c.kind == Command::Kind::Screenshot; });
  };
  EXPECT_EQ(shots(), 0);
  frame(panel, status, settings);
  frame(panel, status, settings, 'S');
  EXPECT_EQ(shots(), 1) << "S queues one screenshot";
}

TEST_F(HeadlessImGui, AClickOnATileSelectsItButNotThroughAWindow) {
  ViewStatus status;
  ViewSettings settings;
  settings.scene = two_tiles();
  ViewPanel panel;
  frame(panel, status, settings);
  frame(panel, status, settings);
  ASSERT_EQ(settings.selected_tile, 0);
  frame(panel, status, settings, -1, ImVec2(1000, 500));  // press on the second tile
  frame(panel, status, settings);
  EXPECT_EQ(settings.selected_tile, 1);
  frame(panel, status, settings, -1, ImVec2(620, 300));  // between the tiles: nothing
  frame(panel, status, settings);
  EXPECT_EQ(settings.selected_tile, 1);
  frame(panel, status, settings, -1, ImVec2(40, 40));  // on the main window, over the first tile
  frame(panel, status, settings);
  EXPECT_EQ(settings.selected_tile, 1) << "a click on a panel is the panel's";
  EXPECT_EQ(tile_at(tiles_, 5.f, 5.f), 0);
  EXPECT_EQ(tile_at(tiles_, 1239.f, 599.f), 1);
  EXPECT_EQ(tile_at(tiles_, 1240.f, 10.f), -1);
}

TEST_F(HeadlessImGui, EveryPanelDrawsEveryWalkKindSpaceAndList) {
  ViewStatus status;
  status.session.model = "SynthFaces";
  status.session.w_dim = 128;
  status.session.num_ws = 5;
  status.session.directions = {{"age", "boundary", {"/models/m/boundaries/z/age.npy", 0}},
                       {"discovered 1", "discovered", {"/models/m/dplase/z/directions.npy", 0}}};
  status.session.preset_files = {"/presets/a.json", "/presets/b.json"};
  status.scene_error = "a direction file is missing";
  stage::FrameTimeHistory history(16);
  history.record(stage::Timing::Frame, 16.f);
  status.history = &history;
  ViewSettings settings;
  settings.scene = two_tiles();
  std::vector<float> scratch;
  for (const auto kind : {WalkKind::Linear, WalkKind::DensityPreserving, WalkKind::Keyframes, WalkKind::Random, WalkKind::Noise}) {
    settings.scene.tiles[0].walk = kind;
    settings.scene.tiles[0].keyframes = {1, 2};
    const Preset before = settings.scene;
    EXPECT_GT(panel_frame([&] { draw_walk_panel(status, settings); }), 500) << walk_kind_name(kind);
    EXPECT_EQ(settings.scene, before) << "drawing alone changes nothing";
  }
  settings.scene.bpm = 120.0;
  EXPECT_GT(panel_frame([&] { draw_walk_panel(status, settings); }), 500);
  for (const char* space : {"z", "w", "wplus"}) {
    settings.scene.space = space;
    EXPECT_GT(panel_frame([&] { draw_model_panel(status, settings); }), 300) << space;
  }
  settings.scene.edits = {{{"/models/m/boundaries/z/age.npy", 0}, 1.5f}};
  settings.scene.hold = {{"/models/m/dplase/z/directions.npy", 0}};
  panel_frame([&] { draw_directions_panel(status, settings); });  // a table measures its columns first
  const int two = panel_frame([&] { draw_directions_panel(status, settings); });
  status.session.directions.pop_back();
  EXPECT_GT(two, panel_frame([&] { draw_directions_panel(status, settings); }) + 40) << "a row per direction";
  EXPECT_GT(panel_frame([&] { draw_presets_panel(status, settings); }), 300);
  EXPECT_GT(panel_frame([&] { draw_performance_panel(status, scratch); }), 300);
  EXPECT_EQ(direction_name(status, {"/x/y/mine.npy", 2}), "mine.npy[2]");
}

}  // namespace
}  // namespace lw::gui
