// The parameter registry, the stage's clock and a preset split into structure and values.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "core/base/check.hpp"
#include "core/parameters.hpp"
#include "core/scene_parameters.hpp"
#include "core/walk_clock.hpp"

namespace lw {
namespace {

TEST(ParameterRegistry, RegistersOnceClampsRoundsAndRefusesNaN) {
  ParameterRegistry r;
  const int stride = r.add({"/tile/1/stride", ParamType::Float, 0.0, 10.0, 3.0, "", ""});
  const int seed = r.add({"/tile/1/seed", ParamType::Int, 0.0, 100.0, 1.0, "", ""});
  const int on = r.add({"/clock/playing", ParamType::Bool, 0.0, 1.0, 1.0, "", ""});
  EXPECT_THROW(r.add({"/tile/1/stride", ParamType::Float, 0.0, 1.0, 0.0, "", ""}), Error) << "twice";
  EXPECT_THROW(r.add({"tile/2", ParamType::Float, 0.0, 1.0, 0.0, "", ""}), Error) << "no leading slash";
  EXPECT_THROW(r.add({"/Tile//x", ParamType::Float, 0.0, 1.0, 0.0, "", ""}), Error) << "upper case, empty word";
  EXPECT_THROW(r.add({"/x", ParamType::Float, 0.0, 1.0, 2.0, "", ""}), Error) << "default out of range";
  EXPECT_EQ(r.value(stride), 3.0);
  const auto before = r.changes();
  EXPECT_TRUE(r.set(stride, 12.0));
  EXPECT_EQ(r.value(stride), 10.0) << "clamped to the range";
  EXPECT_TRUE(r.set(seed, 4.6));
  EXPECT_EQ(r.value(seed), 5.0) << "ints round";
  EXPECT_TRUE(r.set(on, 0.2));
  EXPECT_EQ(r.value(on), 0.0);
  EXPECT_FALSE(r.set(stride, std::nan("")));
  EXPECT_FALSE(r.set(stride, std::numeric_limits<double>::infinity()));
  EXPECT_EQ(r.value(stride), 10.0) << "NaN leaves the value alone";
  EXPECT_EQ(r.changes(), before + 3);
  EXPECT_TRUE(r.set(stride, 10.0));
  EXPECT_EQ(r.changes(), before + 3) << "setting the same value is no change";
}

TEST(ParameterRegistry, AssignmentsFromTheCommandLineSayWhatIsWrong) {
  ParameterRegistry r;
  r.add({"/tile/1/stride", ParamType::Float, 0.0, 10.0, 3.0, "", ""});
  r.add({"/tile/2/stride", ParamType::Float, 0.0, 10.0, 3.0, "", ""});
  r.add({"/clock/speed", ParamType::Float, 0.0, 16.0, 1.0, "x", ""});
  r.assign("/tile/2/stride=2.5");
  EXPECT_EQ(r.value("/tile/2/stride"), 2.5);
  auto message = [&](const char* text) {
    try {
      r.assign(text);
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string("no error");
  };
  EXPECT_NE(message("/tile/3/stride=1").find("no parameter /tile/3/stride; parameters here: /tile/1/stride, /tile/2/stride"),
            std::string::npos) << message("/tile/3/stride=1");
  EXPECT_NE(message("/clock/speed=fast").find("\"fast\" is not a number"), std::string::npos);
  EXPECT_NE(message("/clock/speed=40").find("must be between 0 and 16 x, got 40"), std::string::npos) << message("/clock/speed=40");
  EXPECT_NE(message("/clock/speed").find("PATH=VALUE"), std::string::npos);
  EXPECT_EQ(r.value("/clock/speed"), 1.0) << "a refused assignment changes nothing";
}

TEST(WalkClock, WalkTimeIsSpeedTimesTimeAndASpeedChangeDoesNotJump) {
  WalkClock clock;
  for (int k = 0; k < 100; ++k) {
    clock.set(k / 30.0);
    EXPECT_EQ(clock.walk_time(1.5), (k / 30.0) * 1.5) << "exactly, for frame-exact recordings";
  }
  EXPECT_DOUBLE_EQ(clock.walk_time(1.0), 99 / 30.0 * 1.5) << "a speed change continues, no jump";
  clock = WalkClock();
  clock.set(4.0);
  const double at4 = clock.walk_time(1.0);
  EXPECT_DOUBLE_EQ(at4, 4.0);
  EXPECT_DOUBLE_EQ(clock.walk_time(0.5), 4.0) << "a new speed continues from where the walk is";
  clock.advance(2.0);
  EXPECT_DOUBLE_EQ(clock.walk_time(0.5), 5.0);
  clock.restart();
  EXPECT_EQ(clock.time(), 0.0);
  EXPECT_EQ(clock.walk_time(0.5), 0.0);
}

TEST(WalkClock, TapTempoAveragesTheLastTapsAndStartsOverAfterAPause) {
  WalkClock clock;
  EXPECT_EQ(clock.tap(10.0), 0.0);
  EXPECT_NEAR(clock.tap(10.5), 120.0, 1e-9);
  EXPECT_NEAR(clock.tap(11.0), 120.0, 1e-9);
  EXPECT_NEAR(clock.tap(11.6), 60.0 * 3 / 1.6, 1e-9);
  EXPECT_EQ(clock.tap(20.0), 0.0) << "a pause starts a new count";
  EXPECT_NEAR(clock.tap(20.4), 150.0, 1e-9);
  for (int i = 2; i < 20; ++i) clock.tap(20.0 + 0.4 * i);
  EXPECT_NEAR(clock.tap(20.0 + 0.4 * 20), 150.0, 1e-9) << "the mean of the last seven intervals";
}

Preset two_tiles() {
  Preset p;
  p.model = "/m";
  p.tiles.resize(2);
  p.tiles[0].direction = "/m/boundaries/w/age.npy";
  p.tiles[1].walk = WalkKind::Noise;
  p.edits = {{{"/m/boundaries/w/smile.npy", 0}, 1.f}, {{"/other/smile.npy", 0}, 0.5f}, {{"/m/dplase/w/directions.npy", 3}, -1.f}};
  return p;
}

TEST(SceneParameters, EveryValueIsRegisteredOnceAndWrittenBack) {
  Preset p = two_tiles();
  p.tiles[1].period = 7.f;
  p.speed = 0.5;
  ParameterRegistry r;
  const SceneParameters s = register_scene_parameters(r, p);
  EXPECT_EQ(r.value("/tile/2/period"), 7.0);
  EXPECT_EQ(r.value("/clock/speed"), 0.5);
  EXPECT_EQ(edit_parameter_names(p), (std::vector<std::string>{"smile", "smile_2", "directions_r3"}));
  EXPECT_EQ(r.value("/edit/smile_2/alpha"), 0.5);
  EXPECT_EQ(r.info(s.edit_alpha[2]).path, "/edit/directions_r3/alpha");
  r.assign("/tile/1/stride=6");
  r.assign("/edit/smile/alpha=-2");
  r.assign("/model/truncation=0.7");
  Preset written = p;
  write_parameter_values(written, s, r.values());
  EXPECT_EQ(written.tiles[0].stride, 6.f);
  EXPECT_EQ(written.edits[0].alpha, -2.f);
  EXPECT_EQ(written.truncation, 0.7f);
  EXPECT_EQ(structure_of(written), structure_of(p)) << "values are not structure";
  const auto changes = parameter_changes(written, written, r);
  EXPECT_TRUE(changes.empty()) << "the registry already holds the written values";
  Preset moved = written;
  moved.tiles[1].period = 2.f;
  const auto one = parameter_changes(moved, written, r);
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(r.info(one[0].first).path, "/tile/2/period");
  EXPECT_EQ(one[0].second, 2.0);
  // A structure edit's moved values land by path on what the registry has: a new third tile's
  // stride waits for its scene.
  Preset grown = moved;
  grown.tiles.push_back(grown.tiles[0]);
  grown.tiles[2].stride = 9.f;
  const auto by_path = parameter_changes(grown, written, r);
  ASSERT_EQ(by_path.size(), 1u);
  EXPECT_EQ(r.info(by_path[0].first).path, "/tile/2/period");
}

TEST(SceneParameters, StructureIsWhatNeedsANewScene) {
  const Preset p = two_tiles();
  auto differs = [&](auto change) {
    Preset q = p;
    change(q);
    return structure_of(q) != structure_of(p);
  };
  EXPECT_FALSE(differs([](Preset& q) { q.tiles[0].stride = 9.f; }));
  EXPECT_FALSE(differs([](Preset& q) { q.edits[1].alpha = 0.f; }));
  EXPECT_FALSE(differs([](Preset& q) { q.bpm = 128.0; }));
  EXPECT_FALSE(differs([](Preset& q) { q.rotate = 45.f; }));
  EXPECT_TRUE(differs([](Preset& q) { q.tiles[0].walk = WalkKind::DensityPreserving; }));
  EXPECT_TRUE(differs([](Preset& q) { q.tiles[0].direction = "/m/boundaries/w/smile.npy"; }));
  EXPECT_TRUE(differs([](Preset& q) { q.seed = 4; }));
  EXPECT_TRUE(differs([](Preset& q) { q.space = "w"; }));
  EXPECT_TRUE(differs([](Preset& q) { q.edits.pop_back(); }));
  EXPECT_TRUE(differs([](Preset& q) { q.hold.push_back({"/m/boundaries/w/age.npy", 0}); }));
  EXPECT_TRUE(differs([](Preset& q) { q.tiles.pop_back(); }));
}

}  // namespace
}  // namespace lw
