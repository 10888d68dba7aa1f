#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/base/check.hpp"
#include "core/npy.hpp"
#include "core/preset.hpp"
#include "tests/test_paths.hpp"

namespace lw {
namespace {
namespace fs = std::filesystem;

Preset sample_preset() {
  Preset p;
  p.model = "../models/synthfaces";
  p.space = "w";
  p.density = "../models/synthfaces/dplase/w";
  p.seed = 5;
  p.duration = 6.5;
  p.fps = 24;
  TilePreset a;
  a.label = "linear";
  a.walk = WalkKind::Linear;
  a.direction = "dir.npy";
  a.stride = 2.5f;
  a.period = 3.f;
  TilePreset b = a;
  b.label = "density-preserving";
  b.walk = WalkKind::DensityPreserving;
  b.start_seed = 9;
  TilePreset c;
  c.label = "keyframes";
  c.walk = WalkKind::Keyframes;
  c.keyframes = {1, 2, 3};
  c.segment = 1.5f;
  c.loop = false;
  c.interpolation = Interpolation::DensityPreserving;
  TilePreset d;
  d.label = "noise";
  d.walk = WalkKind::Noise;
  d.period = 12.f;
  d.walk_seed = 3;
  d.easing = Easing::Sine;
  p.tiles = {a, b, c, d};
  return p;
}

// Every field away from its default: what the viewer's panels can set.
Preset full_preset(const fs::path& folder) {
  Preset p = sample_preset();
  p.model = (folder / "model").string();
  p.density = (folder / "model/dplase/w").string();
  p.space = "wplus";
  p.layer_begin = 1;
  p.layer_end = 3;
  p.truncation = 0.7f;
  p.rotate = 12.5f;
  p.translate = {0.25f, -0.5f};
  p.speed = 1.5;
  p.bpm = 128;
  p.edits = {{{(folder / "smile.npy").string(), 0}, 1.25f}, {{(folder / "found.npy").string(), 2}, -0.5f}};
  p.hold = {{(folder / "eyeglasses.npy").string(), 0}};
  for (auto& t : p.tiles)
    if (!t.direction.empty()) t.direction = (folder / "sub/age.npy").string();
  p.tiles[3].walk = WalkKind::Random;
  p.tiles[3].segment = 0.75f;
  p.tiles[0].row = 1;
  p.tiles[0].start_file = (folder / "codes/me.npy").string();
  p.tiles[0].start_row = 2;
  return p;
}

TEST(Preset, RoundTripsThroughItsFileToIdenticalSettings) {
  const fs::path file = fs::path(LW_TEST_TMP) / "preset_round_trip.json";
  const auto p = sample_preset();
  write_preset(file, p);
  EXPECT_EQ(read_preset(file), p);
  EXPECT_EQ(preset_json(read_preset(file)), preset_json(p));
  // The difference tile and its gain, with three walks.
  Preset three = p;
  three.tiles.pop_back();
  three.difference = true;
  three.difference_gain = 6.f;
  write_preset(file, three);
  EXPECT_EQ(read_preset(file), three);
  fs::remove(file);
}

TEST(Preset, EveryFieldRoundTripsAndPathsAreSavedRelativeAndReadBackAbsolute) {
  const fs::path folder = fs::absolute(fs::path(LW_TEST_TMP) / "preset_full");
  fs::create_directories(folder / "presets");
  const Preset p = full_preset(folder);
  const fs::path file = folder / "presets" / "show.json";
  write_preset_relative(file, p);
  const Preset raw = read_preset(file);
  EXPECT_EQ(raw.model, "../model");
  EXPECT_EQ(raw.tiles[0].direction, "../sub/age.npy");
  EXPECT_EQ(raw.edits[1].ref.direction, "../found.npy");
  EXPECT_EQ(raw.tiles[0].start_file, "../codes/me.npy") << "a start code file is a path like the others";
  EXPECT_EQ(raw.tiles[0].start_row, 2);
  EXPECT_EQ(read_preset_resolved(file), p);
  // A relative path in memory stays relative; one on another root stays absolute.
  EXPECT_EQ(relative_paths(absolute_paths(raw, file), file), raw);
  fs::remove_all(folder);
}

TEST(Preset, ATileStartsFromOneCodeOfACodeFile) {
  const fs::path dir = fs::path(LW_TEST_TMP) / "preset_code_start";
  fs::create_directories(dir);
  NpyArray d, w, wplus, bad;
  d.shape = {1, 3};
  d.data = {1.f, 0.f, 0.f};
  w.shape = {2, 3};
  w.data = {1.f, 2.f, 3.f, 4.f, 5.f, 6.f};
  wplus.shape = {1, 2, 3};  // one code of two style rows
  wplus.data = {1.f, 1.f, 1.f, 3.f, 5.f, 7.f};
  bad.shape = {2, 4};
  bad.data.assign(8, 0.f);
  write_npy(dir / "d.npy", d);
  write_npy(dir / "w.npy", w);
  write_npy(dir / "wplus.npy", wplus);
  write_npy(dir / "bad.npy", bad);
  const auto p = parse_preset(R"({"version": 1, "model": "m", "space": "w", "tiles": [
      {"label": "photo", "walk": "linear", "direction": "d.npy", "start": {"code": "w.npy", "row": 1}}]})", "photo.json");
  EXPECT_EQ(p.tiles[0].start_file, "w.npy");
  EXPECT_EQ(p.tiles[0].start_row, 1);
  EXPECT_EQ(parse_preset(preset_json(p), "again.json"), p);
  auto walks = resolve_walks(p, dir / "photo.json", 3);
  EXPECT_EQ(walks[0].start, Latent(Eigen::Vector3f(4.f, 5.f, 6.f))) << "row 1 of the file";
  // A W+ code: the walk starts at the mean of its rows (the scene gives each row its own).
  Preset q = p;
  q.tiles[0].start_file = "wplus.npy", q.tiles[0].start_row = 0;
  walks = resolve_walks(q, dir / "photo.json", 3);
  EXPECT_EQ(walks[0].start, Latent(Eigen::Vector3f(2.f, 3.f, 4.f)));
  const Eigen::MatrixXf rows = load_code_rows(dir / "wplus.npy", 0, 3);
  ASSERT_EQ(rows.rows(), 2);
  EXPECT_EQ(Latent(rows.row(1).transpose()), Latent(Eigen::Vector3f(3.f, 5.f, 7.f)));
  // No such row, another dimension, a missing file: errors that name the file.
  auto error_of = [&](const std::string& file, int row) {
    Preset r = p;
    r.tiles[0].start_file = file, r.tiles[0].start_row = row;
    try {
      resolve_walks(r, dir / "photo.json", 3);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(error_of("w.npy", 2).find("there is no row 2"), std::string::npos) << error_of("w.npy", 2);
  EXPECT_NE(error_of("bad.npy", 0).find("this file holds [2, 4]"), std::string::npos) << error_of("bad.npy", 0);
  EXPECT_NE(error_of("none.npy", 0).find("none.npy"), std::string::npos) << error_of("none.npy", 0);
  // One start per tile, and only direction walks take one.
  EXPECT_THROW(parse_preset(R"({"version": 1, "model": "m", "tiles": [{"label": "a", "walk": "linear", "direction": "d.npy",
      "start_seed": 3, "start": {"code": "w.npy"}}]})", "two.json"), Error);
  EXPECT_THROW(parse_preset(R"({"version": 1, "model": "m", "tiles": [{"label": "a", "walk": "keyframes", "keyframes": [1, 2],
      "start": {"code": "w.npy"}}]})", "keys.json"), Error);
  EXPECT_THROW(parse_preset(R"({"version": 1, "model": "m", "tiles": [{"label": "a", "walk": "linear", "direction": "d.npy",
      "start": {"code": "w.npy", "rows": 1}}]})", "typo.json"), Error);
  fs::remove_all(dir);
}

TEST(Preset, OlderSlerpTilesReadAsSlerpKeyframes) {
  const auto p = parse_preset(
      R"({"version": 1, "model": "m", "tiles": [{"label": "k", "walk": "slerp", "keyframes": [1, 2], "segment": 3}]})", "old.json");
  EXPECT_EQ(p.tiles[0].walk, WalkKind::Keyframes);
  EXPECT_EQ(p.tiles[0].interpolation, Interpolation::Slerp);
  EXPECT_EQ(p.tiles[0].segment, 3.f);
  EXPECT_EQ(p.speed, 1.0);
  EXPECT_EQ(p.bpm, 0.0);
  EXPECT_TRUE(p.edits.empty());
}

TEST(Preset, RejectsUnknownFieldsWrongTypesAndBadValuesByName) {
  const auto good = preset_json(sample_preset());
  auto expect_error = [](const std::string& text, const std::string& part) {
    try {
      parse_preset(text, "p.json");
      ADD_FAILURE() << "accepted: " << text;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(part), std::string::npos) << e.what();
    }
  };
  expect_error("{not json", "p.json is not valid JSON");
  expect_error(R"({"version": 1, "model": "m", "tiles": [], "colour": 1})", "\"tiles\" must be an array of between 1 and 4");
  expect_error(R"({"version": 1, "model": "m", "colour": 1, "tiles": [{"label": "a", "walk": "linear", "direction": "d.npy"}]})",
               "unknown field \"colour\"");
  expect_error(R"({"version": 2, "model": "m", "tiles": []})", "version 2 is not supported");
  expect_error(R"({"version": 1, "model": "m", "difference": true, "tiles": [{"label": "a", "walk": "noise"}]})",
               "\"difference\" needs two to 3 tiles");
  expect_error(R"({"version": 1, "model": "m", "difference": true, "difference_gain": 0.5,
                  "tiles": [{"label": "a", "walk": "noise"}, {"label": "b", "walk": "noise"}]})",
               "\"difference_gain\" must be between 1 and 32");
  expect_error(R"({"version": 1, "model": 3, "tiles": []})", "field \"model\" has the wrong type");
  expect_error(R"({"version": 1, "tiles": []})", "field \"model\" is missing");
  expect_error(R"({"version": 1, "model": "m", "tiles": [{"label": "a", "walk": "sideways", "direction": "d.npy"}]})",
               "tiles[0]: \"walk\" must be linear, dp, keyframes, random or noise");
  expect_error(R"({"version": 1, "model": "m", "tiles": [{"label": "a", "walk": "slerp", "keyframes": [1]}]})",
               "at least two keyframes");
  expect_error(R"({"version": 1, "model": "m", "tiles": [{"label": "a", "walk": "dp", "direction": "d.npy", "period": 0}]})",
               "\"period\" must be positive");
  expect_error(R"({"version": 1, "model": "m", "fps": 0, "tiles": [{"label": "a", "walk": "dp", "direction": "d.npy"}]})",
               "\"fps\" must be");
  expect_error(R"({"version": 1, "model": "m", "space": "x", "tiles": [{"label": "a", "walk": "dp", "direction": "d.npy"}]})",
               "\"space\" must be \"z\", \"w\" or \"wplus\"");
  const std::string tile = R"("tiles": [{"label": "a", "walk": "dp", "direction": "d.npy"}])";
  expect_error(R"({"version": 1, "model": "m", "bpm": 5, )" + tile + "}", "\"bpm\" must be 0 (off) or between 20 and 400");
  expect_error(R"({"version": 1, "model": "m", "speed": 0, )" + tile + "}", "\"speed\" must be");
  expect_error(R"({"version": 1, "model": "m", "truncation": 3, )" + tile + "}", "\"truncation\" must be between 0 and 2");
  expect_error(R"({"version": 1, "model": "m", "translate": [1], )" + tile + "}", "\"translate\" must be [x, y]");
  expect_error(R"({"version": 1, "model": "m", "rotate": 400, )" + tile + "}", "\"rotate\" must be between -360 and 360");
  expect_error(R"({"version": 1, "model": "m", "layers": [3, 2], )" + tile + "}", "\"layers\" must be [begin, end]");
  expect_error(R"({"version": 1, "model": "m", "edits": [{"direction": "s.npy"}], )" + tile + "}",
               "edits[0]: field \"alpha\" is missing");
  expect_error(R"({"version": 1, "model": "m", "hold": [{"direction": "s.npy", "alpha": 1}], )" + tile + "}",
               "hold[0]: unknown field \"alpha\"");
  expect_error(R"({"version": 1, "model": "m", "edits": 3, )" + tile + "}", "\"edits\" must be an array");
  expect_error(R"({"version": 1, "model": "m", "tiles": [{"label": "a", "walk": "keyframes", "keyframes": [1, 2], "interpolation": "cubic"}]})",
               "\"interpolation\" must be linear, slerp or dp, got \"cubic\"");
  expect_error(R"({"version": 1, "model": "m", "tiles": [{"label": "a", "walk": "dp", "direction": "d.npy", "easing": "bounce"}]})",
               "\"easing\" must be triangle, sine or smooth");
  EXPECT_NO_THROW(parse_preset(good, "good.json"));
}

TEST(Preset, ResolvesDirectionsBesideThePresetAndMakesSeededCodes) {
  const fs::path dir = fs::path(LW_TEST_TMP) / "preset_resolve";
  fs::create_directories(dir);
  NpyArray d;
  d.shape = {1, 4};
  d.data = {0.f, 3.f, 0.f, 4.f};
  write_npy(dir / "dir.npy", d);
  auto p = sample_preset();
  const auto walks = resolve_walks(p, dir / "preset.json", 4);
  ASSERT_EQ(walks.size(), 4u);
  EXPECT_TRUE(walks[0].direction.isApprox(Latent((Latent(4) << 0.f, 0.6f, 0.f, 0.8f).finished())));
  EXPECT_TRUE(walks[0].start.isApprox(seeded_code(5, 4)));
  EXPECT_TRUE(walks[1].start.isApprox(seeded_code(9, 4)));
  EXPECT_FALSE(walks[0].start.isApprox(walks[1].start));
  EXPECT_EQ(walks[2].keyframes.size(), 3u);
  // The same seed is the same code every time; the walk at a time is a pure function.
  EXPECT_EQ(latent_at(walks[1], 1.25), latent_at(resolve_walks(p, dir / "preset.json", 4)[1], 1.25));
  // A direction of another size, or a missing one, is named.
  EXPECT_THROW(resolve_walks(p, dir / "preset.json", 5), Error);
  p.tiles[0].direction = "missing.npy";
  EXPECT_THROW(resolve_walks(p, dir / "preset.json", 4), Error);
  fs::remove_all(dir);
}

TEST(Preset, BeatsBecomeSecondsHeldDirectionsAreProjectedOutAndEditsAdd) {
  const fs::path dir = fs::path(LW_TEST_TMP) / "preset_hold";
  fs::create_directories(dir);
  NpyArray age, glasses, found;
  age.shape = glasses.shape = {1, 3};
  age.data = {1.f, 1.f, 0.f};
  glasses.data = {1.f, 0.f, 0.f};
  found.shape = {2, 3};
  found.data = {0.f, 0.f, 2.f, 0.f, 3.f, 0.f};
  write_npy(dir / "age.npy", age);
  write_npy(dir / "eyeglasses.npy", glasses);
  write_npy(dir / "found.npy", found);
  Preset p;
  p.model = "m";
  p.bpm = 120;
  TilePreset t;
  t.label = "age";
  t.direction = "age.npy";
  t.period = 8.f;  // beats: 4 s at 120 bpm
  t.segment = 2.f;
  p.tiles = {t};
  auto walks = resolve_walks(p, dir / "p.json", 3);
  EXPECT_FLOAT_EQ(walks[0].period, 4.f);
  EXPECT_FLOAT_EQ(walks[0].segment, 1.f);
  EXPECT_TRUE(walks[0].direction.isApprox(Latent(Eigen::Vector3f(1.f, 1.f, 0.f).normalized())));
  p.hold = {{"eyeglasses.npy", 0}};
  walks = resolve_walks(p, dir / "p.json", 3);
  EXPECT_NEAR(walks[0].direction.dot(Latent(Eigen::Vector3f(1.f, 0.f, 0.f))), 0.f, 1e-6f) << "eyeglasses held fixed";
  EXPECT_NEAR(walks[0].direction.norm(), 1.f, 1e-6f);
  // Holding the direction a tile walks along leaves that walk alone rather than empty.
  p.hold.push_back({"age.npy", 0});
  EXPECT_NO_THROW(resolve_walks(p, dir / "p.json", 3));
  p.hold = {{"eyeglasses.npy", 0}};
  p.edits = {{{"found.npy", 1}, 2.f}, {{"age.npy", 0}, 1.f}};
  const Latent offset = resolve_edit_offset(p, dir / "p.json", 3);
  EXPECT_TRUE(offset.isApprox(Latent(Eigen::Vector3f(0.f, 3.f, 0.f))));  // 2 (0,1,0) + 1 (0,1,0): age without glasses
  p.edits = {{{"found.npy", 2}, 1.f}};
  EXPECT_THROW(resolve_edit_offset(p, dir / "p.json", 3), Error);  // no row 2
  EXPECT_THROW(load_direction(dir / "found.npy", 0, 4), Error);    // another dimension
  fs::remove_all(dir);
}

}  // namespace
}  // namespace lw
