#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "core/check.hpp"
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
  c.walk = WalkKind::Slerp;
  c.keyframes = {1, 2, 3};
  c.segment = 1.5f;
  c.loop = false;
  p.tiles = {a, b, c};
  return p;
}

TEST(Preset, RoundTripsThroughItsFileToIdenticalSettings) {
  const fs::path file = fs::path(LW_TEST_TMP) / "preset_round_trip.json";
  const auto p = sample_preset();
  write_preset(file, p);
  EXPECT_EQ(read_preset(file), p);
  EXPECT_EQ(preset_json(read_preset(file)), preset_json(p));
  fs::remove(file);
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
  expect_error(R"({"version": 1, "model": "m", "tiles": [], "colour": 1})", "\"tiles\" must be an array of 1..4");
  expect_error(R"({"version": 1, "model": "m", "colour": 1, "tiles": [{"label": "a", "walk": "linear", "direction": "d.npy"}]})",
               "unknown field \"colour\"");
  expect_error(R"({"version": 2, "model": "m", "tiles": []})", "version 2 is not supported");
  expect_error(R"({"version": 1, "model": 3, "tiles": []})", "field \"model\" has the wrong type");
  expect_error(R"({"version": 1, "tiles": []})", "field \"model\" is missing");
  expect_error(R"({"version": 1, "model": "m", "tiles": [{"label": "a", "walk": "sideways", "direction": "d.npy"}]})",
               "tiles[0]: \"walk\" must be linear, dp or slerp");
  expect_error(R"({"version": 1, "model": "m", "tiles": [{"label": "a", "walk": "slerp", "keyframes": [1]}]})",
               "at least two keyframes");
  expect_error(R"({"version": 1, "model": "m", "tiles": [{"label": "a", "walk": "dp", "direction": "d.npy", "period": 0}]})",
               "\"period\" must be positive");
  expect_error(R"({"version": 1, "model": "m", "fps": 0, "tiles": [{"label": "a", "walk": "dp", "direction": "d.npy"}]})",
               "\"fps\" must be");
  expect_error(R"({"version": 1, "model": "m", "space": "x", "tiles": [{"label": "a", "walk": "dp", "direction": "d.npy"}]})",
               "\"space\" must be \"z\" or \"w\"");
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
  ASSERT_EQ(walks.size(), 3u);
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

}  // namespace
}  // namespace lw
