// The stage's session without a window: the default model, walks that build and ones that do
// not, values that need no new scene, space switches, presets saved and loaded, another model
// opened, direction files added.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "app/stage/session.hpp"
#include "core/npy.hpp"
#include "tests/test_paths.hpp"

namespace lw::stage {
namespace {
namespace fs = std::filesystem;
using Change = SessionChange;

class SessionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    // One folder per test: CTest runs them in parallel.
    folder_ = fs::path(LW_TEST_TMP) / "session" / ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(folder_);
    fs::create_directories(folder_);
    options_.model = LW_DEFAULT_MODEL;
    options_.recordings = folder_;
    session_ = std::make_unique<Session>(options_, std::nullopt);
  }
  void TearDown() override { fs::remove_all(folder_); }

  const SessionState& state() const { return session_->state(); }
  Preset applied() const { return session_->state().applied; }

  fs::path folder_;
  SessionOptions options_;
  std::unique_ptr<Session> session_;
};

TEST(PresetNamed, OnlyNamesOfFoundPresetsReachAFile) {
  const std::vector<std::string> found{"/show/presets/dance.json", "/show/recordings/take 2.json"};
  EXPECT_EQ(preset_named(found, "dance"), "/show/presets/dance.json");
  EXPECT_EQ(preset_named(found, "dance.json"), "/show/presets/dance.json");
  EXPECT_EQ(preset_named(found, "take 2"), "/show/recordings/take 2.json");
  // What a hostile packet might send: paths inside and outside the folders, climbing out.
  for (const char* path : {"", "/show/presets/dance.json", "presets/dance", "../presets/dance", "../../etc/passwd",
                           "/etc/passwd", "dance/../../../etc/passwd", "./dance", "DANCE"})
    EXPECT_EQ(preset_named(found, path), std::nullopt) << path;
}

TEST_F(SessionTest, StartsOnTheDefaultComparisonAndListsDirectionsAndPresets) {
  const Preset p = applied();
  ASSERT_EQ(p.tiles.size(), 2u);
  EXPECT_EQ(p.space, "w");
  EXPECT_EQ(p.tiles[0].walk, WalkKind::Linear);
  EXPECT_EQ(p.tiles[1].walk, WalkKind::DensityPreserving);
  EXPECT_EQ(fs::path(p.tiles[0].direction).filename(), "age.npy");
  EXPECT_EQ(state().model, "SynthFaces");
  EXPECT_GT(state().num_ws, 1);
  EXPECT_EQ(state().labels, (std::vector<std::string>{"linear", "density-preserving"}));
  int boundaries = 0, discovered = 0;
  for (const auto& d : state().directions) (d.group == "boundary" ? boundaries : discovered) += d.group != "opened";
  EXPECT_EQ(boundaries, 6) << "five attributes and the quality direction";
  EXPECT_EQ(discovered, 24) << "layer 1's directions.npy, then directions_l0.npy and directions_l2.npy";
  EXPECT_NE(std::find_if(state().directions.begin(), state().directions.end(),
                         [](const DirectionEntry& d) { return d.group == "boundary" && d.name == "quality"; }),
            state().directions.end())
      << "the fix-artifacts slider's boundary is listed";
  // Discovered directions go by the factor they move most (the shipped directions.names.json,
  // from evaluate-directions --save-names).
  const auto age = std::find_if(state().directions.begin(), state().directions.end(),
                                [](const DirectionEntry& d) { return d.name == "age (discovered 6)"; });
  ASSERT_NE(age, state().directions.end());
  // Its tooltip says how selectively it moves age (names.json's selectivity, 0.37: entangled).
  EXPECT_EQ(age->about, "age carries 37% of its change (entangled: other factors move too)");
  // Another layer's directions go by factor and layer: layer 0's first moves age, selectively.
  const auto layer0 = std::find_if(state().directions.begin(), state().directions.end(),
                                   [](const DirectionEntry& d) { return d.name == "age (layer 0, 1)"; });
  ASSERT_NE(layer0, state().directions.end());
  EXPECT_EQ(layer0->about, "age carries 62% of its change (semantic)");
  EXPECT_EQ(fs::path(layer0->ref.direction).filename(), "directions_l0.npy");
  EXPECT_NE(std::find_if(state().preset_files.begin(), state().preset_files.end(),
                         [](const std::string& f) { return f.ends_with("compare_age.json"); }),
            state().preset_files.end());
  EXPECT_EQ(session_->rebuild(p).change, Change::None) << "nothing edited";
  EXPECT_EQ(session_->scene_builds(), 1u);
}

TEST_F(SessionTest, ValuesNeedNoNewSceneAndWalksThatDoNotBuildKeepTheLastOnes) {
  const auto version = session_->version();
  Preset edited = applied();
  edited.tiles[1].stride = 5.f;
  edited.speed = 0.25;
  edited.truncation = 0.5f;
  EXPECT_EQ(session_->rebuild(edited).change, Change::None) << "values are parameters, not structure";
  EXPECT_EQ(session_->version(), version);
  EXPECT_EQ(session_->scene_builds(), 1u);

  edited.tiles[0].direction = (folder_ / "missing.npy").string();
  const auto refused = session_->rebuild(edited);
  EXPECT_EQ(refused.change, Change::None);
  EXPECT_NE(refused.scene_error.find("missing.npy"), std::string::npos) << refused.scene_error;
  EXPECT_EQ(session_->version(), version);

  const auto reads = session_->file_reads();
  EXPECT_GT(reads, 0u);
  edited = applied();
  edited.tiles.push_back(edited.tiles[0]);
  edited.tiles.back().walk = WalkKind::Noise;
  EXPECT_EQ(session_->rebuild(edited).change, Change::Tiles);
  EXPECT_EQ(session_->file_reads(), reads) << "a new scene reads no direction file it has read before";
  EXPECT_EQ(session_->scene().tiles(), 3);
  EXPECT_GT(session_->version(), version);
  EXPECT_EQ(session_->scene_builds(), 2u);
  // Layers outside the model's style rows are refused like a missing file.
  edited.space = "wplus";
  edited.layer_begin = 1;
  edited.layer_end = 99;
  const auto rows = session_->rebuild(edited);
  EXPECT_EQ(rows.change, Change::None);
  EXPECT_NE(rows.scene_error.find("style rows"), std::string::npos) << rows.scene_error;
}

TEST_F(SessionTest, ASpaceSwitchMovesDirectionsToTheSameNamedFilesAndWPlusMovesOnlyItsRows) {
  Preset edited = applied();
  edited.space = "z";
  edited.edits = {{{state().directions.front().ref.direction, 0}, 1.f}};  // a W boundary
  const auto z = session_->rebuild(edited);
  EXPECT_EQ(z.change, Change::Walks) << z.scene_error;
  for (const auto& t : applied().tiles) EXPECT_EQ(fs::path(t.direction).parent_path().filename(), "z");
  EXPECT_EQ(fs::path(applied().edits[0].ref.direction).parent_path().filename(), "z");
  EXPECT_EQ(session_->scene().dims(), session_->model().generator->latent_dim());
  EXPECT_EQ(fs::path(state().directions.front().ref.direction).parent_path().filename(), "z") << "the list follows";

  edited = applied();
  edited.space = "wplus";
  edited.layer_begin = 1;
  edited.layer_end = 2;
  edited.edits.clear();
  const auto wplus = session_->rebuild(edited);
  ASSERT_EQ(wplus.change, Change::Walks) << wplus.scene_error;
  Scene& scene = session_->scene();
  ASSERT_EQ(scene.rows(), session_->model().generator->num_ws());
  ParameterRegistry values;
  register_scene_parameters(values, applied());
  std::vector<float> a, b;
  scene.codes(0.0, values.values(), a);
  scene.codes(1.0, values.values(), b);
  const auto per_row = static_cast<std::size_t>(scene.dims());
  for (int r = 0; r < scene.rows(); ++r) {
    const bool same = std::equal(a.begin() + r * per_row, a.begin() + (r + 1) * per_row, b.begin() + r * per_row);
    EXPECT_EQ(same, r != 1) << "row " << r << ": only row 1 walks";
  }
}

TEST_F(SessionTest, APresetSavedLoadsBackToIdenticalSettings) {
  Preset edited = applied();
  edited.edits = {{state().directions[3].ref, -1.25f}, {state().directions[4].ref, 0.f}};
  edited.hold = {state().directions[1].ref};
  edited.tiles[0].walk = WalkKind::Keyframes;
  edited.tiles[0].keyframes = {4, 5, 6};
  edited.tiles[0].interpolation = Interpolation::DensityPreserving;
  edited.tiles[1].easing = Easing::Smooth;
  ASSERT_EQ(session_->rebuild(edited).change, Change::Walks);
  // The values as the registry holds them at save time.
  Preset with_values = applied();
  with_values.bpm = 96;
  with_values.speed = 0.5;
  with_values.truncation = 0.75f;
  const fs::path file = folder_ / "show.json";
  const auto saved = session_->save_preset(file, with_values);
  EXPECT_NE(saved.message.find("saved"), std::string::npos) << saved.message;
  EXPECT_NE(std::find(state().preset_files.begin(), state().preset_files.end(), file.string()), state().preset_files.end())
      << "the list shows the new file";
  edited = applied();
  edited.tiles.pop_back();
  ASSERT_EQ(session_->rebuild(edited).change, Change::Tiles);
  const auto loaded = session_->load_preset(file);
  EXPECT_EQ(loaded.change, Change::Tiles) << loaded.message;
  EXPECT_TRUE(loaded.values_from_preset);
  Preset expected = with_values;
  expected.edits.pop_back();  // the edit at 0 is not saved
  EXPECT_EQ(applied(), expected);
}

TEST_F(SessionTest, AModelOrPresetThatDoesNotLoadLeavesEverythingRunning) {
  const Preset before = applied();
  const plugin::Model* model = &session_->model();
  std::ofstream(folder_ / "broken.pt") << "not a model";
  const auto broken = session_->open_model(folder_ / "broken.pt");
  EXPECT_EQ(broken.change, Change::None);
  EXPECT_NE(broken.message.find("model not opened"), std::string::npos) << broken.message;
  EXPECT_EQ(&session_->model(), model);
  std::ofstream(folder_ / "bad.json") << R"({"version": 1, "model": "x", "tiles": []})";
  const auto bad = session_->load_preset(folder_ / "bad.json");
  EXPECT_EQ(bad.change, Change::None);
  EXPECT_NE(bad.message.find("preset not loaded"), std::string::npos) << bad.message;
  // A preset of this model whose direction is gone: refused, the walks as they were.
  Preset gone = before;
  gone.tiles[0].direction = (folder_ / "gone.npy").string();
  write_preset(folder_ / "gone.json", gone);
  const auto refused = session_->load_preset(folder_ / "gone.json");
  EXPECT_EQ(refused.change, Change::None);
  EXPECT_NE(refused.message.find("preset not loaded"), std::string::npos) << refused.message;
  EXPECT_NE(refused.message.find("gone.npy"), std::string::npos) << refused.message;
  EXPECT_EQ(applied(), before);
}

TEST_F(SessionTest, OpeningAModelReplacesItOnceEverythingNewHasBuilt) {
  const auto old = session_->shared_model();
  const auto opened = session_->open_model(LW_DEFAULT_MODEL);
  EXPECT_EQ(opened.change, Change::Model) << opened.message;
  EXPECT_TRUE(opened.values_from_preset);
  EXPECT_NE(session_->shared_model(), old);
  EXPECT_EQ(old.use_count(), 1) << "the session let the old model go";
  EXPECT_NE(opened.message.find("opened SynthFaces"), std::string::npos) << opened.message;
  ParameterRegistry values;
  register_scene_parameters(values, applied());
  std::vector<float> codes;
  session_->scene().codes(0.5, values.values(), codes);
  EXPECT_EQ(codes.size(), 2u * static_cast<std::size_t>(session_->scene().dims()));
}

// The model's folder rewritten while the show plays (a training run writing its next snapshot):
// the model in memory plays on; a file caught half-written refuses to open, naming itself, and
// nothing changes; once the file is whole again the same folder opens.
TEST_F(SessionTest, AModelFolderRewrittenWhileItPlaysOpensOnlyWhenItsFilesAreWhole) {
  const fs::path copy = folder_ / "model";
  fs::copy(LW_DEFAULT_MODEL, copy, fs::copy_options::recursive);
  options_.model = copy;
  session_ = std::make_unique<Session>(options_, std::nullopt);
  const auto playing = session_->shared_model();
  const Preset before = applied();
  auto half_written = [](const fs::path& file) {
    const auto size = fs::file_size(file);
    fs::resize_file(file, size / 2);
  };

  half_written(copy / "generator.pt");
  const auto torn = session_->open_model(copy);
  EXPECT_EQ(torn.change, Change::None);
  EXPECT_NE(torn.message.find("model not opened"), std::string::npos) << torn.message;
  EXPECT_NE(torn.message.find("generator.pt"), std::string::npos) << "the message names the file: " << torn.message;
  EXPECT_EQ(session_->shared_model(), playing);
  EXPECT_EQ(applied(), before);
  // The walks still build on the model in memory: a third tile.
  Preset grown = before;
  grown.tiles.push_back(grown.tiles[0]);
  EXPECT_EQ(session_->rebuild(grown).change, Change::Tiles);

  // A boundary not read yet, torn too: the edit that first reads it is refused by name.
  half_written(copy / "boundaries" / "w" / "smile.npy");
  Preset smiling = applied();
  smiling.edits = {{{(copy / "boundaries" / "w" / "smile.npy").string(), 0}, 1.f}};
  const auto refused = session_->rebuild(smiling);
  EXPECT_EQ(refused.change, Change::None);
  EXPECT_NE(refused.scene_error.find("smile.npy"), std::string::npos) << refused.scene_error;
  EXPECT_EQ(applied(), grown);

  fs::copy(LW_DEFAULT_MODEL, copy, fs::copy_options::recursive | fs::copy_options::overwrite_existing);
  const auto whole = session_->open_model(copy);
  EXPECT_EQ(whole.change, Change::Model) << whole.message;
  EXPECT_NE(session_->shared_model(), playing);
  smiling = applied();
  smiling.edits = {{{(copy / "boundaries" / "w" / "smile.npy").string(), 0}, 1.f}};
  const auto edited = session_->rebuild(smiling);
  EXPECT_EQ(edited.change, Change::Walks) << edited.scene_error;
}

TEST_F(SessionTest, ASharedModelIsUsedNotLoadedAgain) {
  const auto model = session_->shared_model();
  const Session second(options_, applied(), model);
  EXPECT_EQ(second.shared_model(), model);
  EXPECT_EQ(second.state().applied, applied());
}

TEST_F(SessionTest, OpenedDirectionFilesJoinTheListWhenTheyFitTheSpace) {
  const std::size_t listed = state().directions.size();
  NpyArray three, wrong;
  three.shape = {3, static_cast<std::int64_t>(session_->model().generator->w_dim())};
  three.data.assign(static_cast<std::size_t>(three.shape[0] * three.shape[1]), 0.5f);
  wrong.shape = {1, 7};
  wrong.data.assign(7, 1.f);
  write_npy(folder_ / "three.npy", three);
  write_npy(folder_ / "wrong.npy", wrong);
  const auto refused = session_->open_direction(folder_ / "wrong.npy");
  EXPECT_NE(refused.message.find("has dimension 7"), std::string::npos) << refused.message;
  EXPECT_EQ(state().directions.size(), listed);
  session_->open_direction(folder_ / "three.npy");
  EXPECT_EQ(state().directions.size(), listed + 3);
  EXPECT_EQ(state().directions.back().name, "three.npy[2]");
  EXPECT_EQ(state().directions.back().group, "opened");
}

}  // namespace
}  // namespace lw::stage
