// The performance timeline: the clock between recorded frames, values by path up to a time,
// reposted frames replaced, a downbeat not swept through, and the JSON round trip and its errors.
#include "core/automation.hpp"

#include <gtest/gtest.h>

#include "core/base/check.hpp"

namespace lw {
namespace {

ParameterRegistry registry() {
  ParameterRegistry r;
  r.add({"/clock/speed", ParamType::Float, 0.0, 16.0, 1.0, "x", ""});
  r.add({"/tile/1/stride", ParamType::Float, 0.0, 100.0, 8.0, "", ""});
  return r;
}

TEST(Automation, RecordsChangesAndReplaysThemByTime) {
  auto r = registry();
  Preset walks;
  walks.model = "m";
  AutomationRecorder rec(walks);
  rec.frame(0.0, 0.0, 0.0, r);
  rec.frame(0.5, 0.5, 0.5, r);  // nothing moved: a frame, no events
  r.set(1, 3.0);
  rec.frame(1.0, 1.0, 1.0, r);
  rec.frame(1.5, 0.0, 0.0, r);  // a downbeat: the clock back to 0
  const Automation& a = rec.timeline();
  EXPECT_EQ(a.frames.size(), 4u);
  EXPECT_EQ(a.events.size(), 3u);  // both values at the start, the stride at 1 s
  EXPECT_DOUBLE_EQ(a.times_at(0.25).clock, 0.25);
  EXPECT_DOUBLE_EQ(a.times_at(1.25).clock, 1.0) << "no sweep backwards through the downbeat";
  EXPECT_DOUBLE_EQ(a.times_at(9.0).clock, 0.0);
  auto fresh = registry();
  EXPECT_EQ(a.values_at(0.9, fresh)[1], 8.0);
  EXPECT_EQ(a.values_at(1.0, fresh)[1], 3.0);
}

TEST(Automation, ARepostedFrameReplacesWhatWasRecordedFromItOn) {
  auto r = registry();
  AutomationRecorder rec(Preset{});
  rec.frame(0.0, 0.0, 0.0, r);
  r.set(1, 5.0);
  rec.frame(1.0, 1.0, 1.0, r);
  r.set(1, 6.0);
  rec.frame(1.0, 1.0, 1.0, r);  // frame 1 posted again with the newest value
  const Automation& a = rec.timeline();
  EXPECT_EQ(a.frames.size(), 2u);
  ASSERT_EQ(a.events.size(), 3u);
  EXPECT_EQ(a.events.back().value, 6.0);
}

TEST(Automation, JsonRoundTripAndClearErrors) {
  auto r = registry();
  Preset walks;
  walks.model = "m";
  walks.tiles.push_back(TilePreset{});
  walks.tiles[0].label = "a";
  walks.tiles[0].direction = "d.npy";
  AutomationRecorder rec(walks);
  rec.frame(0.0, 0.0, 0.0, r);
  r.set(0, 2.0);
  rec.frame(0.1, 0.1, 0.2, r);
  const Automation back = parse_automation(automation_json(rec.timeline()), "perf.json");
  EXPECT_EQ(back.frames.size(), 2u);
  EXPECT_EQ(back.events.size(), 3u);
  EXPECT_EQ(back.preset.tiles.size(), 1u);
  EXPECT_THROW(parse_automation("[1, 2]", "x.json"), Error);
  EXPECT_THROW(parse_automation(R"({"version": 1, "preset": {}, "frames": [], "events": []})", "x.json"), Error);
  const std::string text = automation_json(rec.timeline());
  std::string unordered = text;
  unordered.replace(unordered.find("[0.1,0.1,0.2]"), 13, "[-5.0,0.1,0.2]");
  try {
    parse_automation(unordered, "x.json");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("in time order"), std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace lw
