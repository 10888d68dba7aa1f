// The viewer's model, scene and panel requests without a window: the default model, edits that
// load and ones that do not, space switches, presets saved and loaded, another model opened.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "app/view_session.hpp"
#include "core/npy.hpp"
#include "tests/test_paths.hpp"

namespace lw::app {
namespace {
namespace fs = std::filesystem;
using Change = ViewSession::Change;

class Session : public ::testing::Test {
 protected:
  void SetUp() override {
    // One folder per test: CTest runs them in parallel.
    folder_ = fs::path(LW_TEST_TMP) / "view_session" / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    options_.model = LW_DEFAULT_MODEL;
    options_.recordings = folder_;
    session_ = std::make_unique<ViewSession>(options_, settings_);
    session_->describe(status_);
  }
  void TearDown() override { fs::remove_all(folder_); }

  Change update() { return session_->update(settings_, status_); }

  fs::path folder_;
  ViewOptions options_;
  gui::ViewSettings settings_;
  gui::ViewStatus status_;
  std::unique_ptr<ViewSession> session_;
};

TEST_F(Session, StartsOnTheDefaultComparisonAndListsDirectionsAndPresets) {
  const Preset& p = session_->applied();
  ASSERT_EQ(p.tiles.size(), 2u);
  EXPECT_EQ(p.space, "w");
  EXPECT_EQ(p.tiles[0].walk, WalkKind::Linear);
  EXPECT_EQ(p.tiles[1].walk, WalkKind::DensityPreserving);
  EXPECT_EQ(fs::path(p.tiles[0].direction).filename(), "age.npy");
  EXPECT_EQ(settings_.scene, p);
  EXPECT_EQ(status_.model, "SynthFaces");
  EXPECT_GT(status_.num_ws, 1);
  int boundaries = 0, discovered = 0;
  for (const auto& d : status_.directions) (d.group == "boundary" ? boundaries : discovered) += d.group != "opened";
  EXPECT_EQ(boundaries, 5);
  EXPECT_EQ(discovered, 8);
  EXPECT_NE(std::find_if(status_.preset_files.begin(), status_.preset_files.end(),
                         [](const std::string& f) { return f.ends_with("compare_age.json"); }),
            status_.preset_files.end());
  EXPECT_EQ(update(), Change::None) << "nothing edited";
}

TEST_F(Session, AnEditThatDoesNotLoadKeepsTheLastSceneAndSaysWhy) {
  const Preset before = session_->applied();
  const auto version = session_->version();
  settings_.scene.tiles[0].direction = (folder_ / "missing.npy").string();
  EXPECT_EQ(update(), Change::None);
  EXPECT_NE(status_.scene_error.find("missing.npy"), std::string::npos) << status_.scene_error;
  EXPECT_EQ(settings_.scene, before) << "the panels show the walks that run";
  EXPECT_EQ(session_->version(), version);
  settings_.scene.tiles[1].stride = 5.f;
  EXPECT_EQ(update(), Change::Walks);
  EXPECT_TRUE(status_.scene_error.empty());
  EXPECT_GT(session_->version(), version);
  EXPECT_EQ(session_->applied().tiles[1].stride, 5.f);
  settings_.scene.tiles.push_back(settings_.scene.tiles[0]);
  settings_.scene.tiles.back().walk = WalkKind::Noise;
  EXPECT_EQ(update(), Change::Tiles);
  EXPECT_EQ(session_->scene().tiles(), 3);
  // Layers outside the model's style rows are refused like a missing file.
  settings_.scene.space = "wplus";
  settings_.scene.layer_begin = 1;
  settings_.scene.layer_end = 99;
  EXPECT_EQ(update(), Change::None);
  EXPECT_NE(status_.scene_error.find("style rows"), std::string::npos) << status_.scene_error;
}

TEST_F(Session, ASpaceSwitchMovesDirectionsToTheSameNamedFilesAndWPlusMovesOnlyItsRows) {
  settings_.scene.space = "z";
  settings_.scene.edits = {{{status_.directions.front().ref.direction, 0}, 1.f}};  // a W boundary
  EXPECT_EQ(update(), Change::Walks) << status_.scene_error;
  for (const auto& t : session_->applied().tiles) EXPECT_EQ(fs::path(t.direction).parent_path().filename(), "z");
  EXPECT_EQ(fs::path(session_->applied().edits[0].ref.direction).parent_path().filename(), "z");
  EXPECT_EQ(session_->scene().dims(), session_->model().generator->latent_dim());
  EXPECT_EQ(fs::path(status_.directions.front().ref.direction).parent_path().filename(), "z") << "the list follows";

  settings_.scene.space = "wplus";
  settings_.scene.layer_begin = 1;
  settings_.scene.layer_end = 2;
  settings_.scene.edits.clear();
  ASSERT_EQ(update(), Change::Walks) << status_.scene_error;
  const ViewScene& scene = session_->scene();
  ASSERT_EQ(scene.rows(), session_->model().generator->num_ws());
  std::vector<float> a, b;
  scene.codes(0.0, a);
  scene.codes(1.0, b);
  const auto per_row = static_cast<std::size_t>(scene.dims());
  for (int r = 0; r < scene.rows(); ++r) {
    const bool same = std::equal(a.begin() + r * per_row, a.begin() + (r + 1) * per_row, b.begin() + r * per_row);
    EXPECT_EQ(same, r != 1) << "row " << r << ": only row 1 walks";
  }
}

TEST_F(Session, APresetSavedLoadsBackToIdenticalSettings) {
  settings_.scene.bpm = 96;
  settings_.scene.speed = 0.5;
  settings_.scene.truncation = 0.75f;
  settings_.scene.edits = {{status_.directions[3].ref, -1.25f}};
  settings_.scene.hold = {status_.directions[1].ref};
  settings_.scene.tiles[0].walk = WalkKind::Keyframes;
  settings_.scene.tiles[0].keyframes = {4, 5, 6};
  settings_.scene.tiles[0].interpolation = Interpolation::DensityPreserving;
  settings_.scene.tiles[1].easing = Easing::Smooth;
  ASSERT_EQ(update(), Change::Walks) << status_.scene_error;
  const Preset saved = session_->applied();
  settings_.preset_path = (folder_ / "show.json").string();
  settings_.save_preset = true;
  update();
  EXPECT_NE(status_.message.find("saved"), std::string::npos) << status_.message;
  EXPECT_NE(std::find(status_.preset_files.begin(), status_.preset_files.end(), settings_.preset_path),
            status_.preset_files.end()) << "the list shows the new file";
  settings_.scene.tiles.pop_back();
  settings_.scene.bpm = 0;
  ASSERT_EQ(update(), Change::Tiles);
  settings_.load_preset = true;
  EXPECT_EQ(update(), Change::Tiles);
  EXPECT_EQ(session_->applied(), saved);
  EXPECT_EQ(settings_.scene, saved);
}

TEST_F(Session, AModelOrPresetThatDoesNotLoadLeavesEverythingRunning) {
  const Preset before = session_->applied();
  const plugin::Model* model = &session_->model();
  std::ofstream(folder_ / "broken.pt") << "not a model";
  settings_.model_path = (folder_ / "broken.pt").string();
  settings_.open_model = true;
  EXPECT_EQ(update(), Change::None);
  EXPECT_NE(status_.message.find("model not opened"), std::string::npos) << status_.message;
  EXPECT_EQ(&session_->model(), model);
  std::ofstream(folder_ / "bad.json") << R"({"version": 1, "model": "x", "tiles": []})";
  settings_.preset_path = (folder_ / "bad.json").string();
  settings_.load_preset = true;
  EXPECT_EQ(update(), Change::None);
  EXPECT_NE(status_.message.find("preset not loaded"), std::string::npos) << status_.message;
  // A preset of this model whose direction is gone: refused, the walks as they were.
  Preset gone = before;
  gone.tiles[0].direction = (folder_ / "gone.npy").string();
  write_preset(folder_ / "gone.json", gone);
  settings_.preset_path = (folder_ / "gone.json").string();
  settings_.load_preset = true;
  EXPECT_EQ(update(), Change::None);
  EXPECT_NE(status_.message.find("preset not loaded"), std::string::npos) << status_.message;
  EXPECT_NE(status_.message.find("gone.npy"), std::string::npos) << status_.message;
  EXPECT_EQ(session_->applied(), before);
  EXPECT_EQ(settings_.scene, before);
}

TEST_F(Session, OpeningAModelRetiresTheOldOneUntilReleased) {
  const plugin::Model* old = &session_->model();
  settings_.model_path = LW_DEFAULT_MODEL;
  settings_.open_model = true;
  settings_.scene.tiles[0].stride = 7.f;  // edits of the old model's walks are dropped with it
  EXPECT_EQ(update(), Change::Model) << status_.message;
  EXPECT_NE(&session_->model(), old);
  EXPECT_EQ(settings_.scene, session_->applied());
  EXPECT_EQ(session_->applied().tiles[0].stride, 3.f);
  EXPECT_NE(status_.message.find("opened SynthFaces"), std::string::npos) << status_.message;
  session_->release_retired();
  std::vector<float> codes;
  session_->scene().codes(0.5, codes);
  EXPECT_EQ(codes.size(), 2u * static_cast<std::size_t>(session_->scene().dims()));
}

TEST_F(Session, OpenedDirectionFilesJoinTheListWhenTheyFitTheSpace) {
  const std::size_t listed = status_.directions.size();
  NpyArray three, wrong;
  three.shape = {3, static_cast<std::int64_t>(session_->model().generator->w_dim())};
  three.data.assign(static_cast<std::size_t>(three.shape[0] * three.shape[1]), 0.5f);
  wrong.shape = {1, 7};
  wrong.data.assign(7, 1.f);
  write_npy(folder_ / "three.npy", three);
  write_npy(folder_ / "wrong.npy", wrong);
  settings_.direction_path = (folder_ / "wrong.npy").string();
  settings_.open_direction = true;
  update();
  EXPECT_NE(status_.message.find("has dimension 7"), std::string::npos) << status_.message;
  EXPECT_EQ(status_.directions.size(), listed);
  settings_.direction_path = (folder_ / "three.npy").string();
  settings_.open_direction = true;
  update();
  EXPECT_EQ(status_.directions.size(), listed + 3);
  EXPECT_EQ(status_.directions.back().name, "three.npy[2]");
  EXPECT_EQ(status_.directions.back().group, "opened");
}

}  // namespace
}  // namespace lw::app
