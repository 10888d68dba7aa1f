// What an OSC message does to the registry: set and clamp, /norm across the range, NaN and wrong
// arguments refused, triggers and edits handed to the stage, unknown addresses counted by it.
#include "gui/control/osc_router.hpp"

#include <gtest/gtest.h>

#include <cmath>

namespace lw::control {
namespace {

ParameterRegistry registry_with_speed_and_stride() {
  ParameterRegistry r;
  r.add({"/clock/speed", ParamType::Float, 0.0, 16.0, 1.0, "x", "speed"});
  r.add({"/tile/1/stride", ParamType::Float, 0.0, 100.0, 8.0, "", "stride"});
  r.add({"/tile/1/count", ParamType::Int, 1.0, 9.0, 1.0, "", "a whole number"});
  return r;
}

OscMessage msg(const std::string& address, std::vector<double> numbers = {}) { return {address, std::move(numbers)}; }

TEST(OscRouter, SetsClampsAndRoundsByTheParametersType) {
  auto r = registry_with_speed_and_stride();
  auto routed = route_osc(msg("/tile/1/stride", {4.0}), r);
  EXPECT_EQ(routed.kind, Routed::Kind::Applied);
  EXPECT_EQ(r.value("/tile/1/stride"), 4.0);
  route_osc(msg("/tile/1/stride", {250.0}), r);  // out of range: clamped, not refused
  EXPECT_EQ(r.value("/tile/1/stride"), 100.0);
  route_osc(msg("/tile/1/count", {3.6}), r);
  EXPECT_EQ(r.value("/tile/1/count"), 4.0);
}

TEST(OscRouter, NormalisedValuesSpanTheRange) {
  auto r = registry_with_speed_and_stride();
  EXPECT_EQ(route_osc(msg("/norm/clock/speed", {0.25}), r).kind, Routed::Kind::Applied);
  EXPECT_DOUBLE_EQ(r.value("/clock/speed"), 4.0);
  route_osc(msg("/norm/clock/speed", {1.5}), r);
  EXPECT_DOUBLE_EQ(r.value("/clock/speed"), 16.0);
}

TEST(OscRouter, WhatAParameterCannotTakeIsRejectedAndChangesNothing) {
  auto r = registry_with_speed_and_stride();
  for (const auto& bad : {msg("/clock/speed", {std::nan("")}), msg("/clock/speed", {INFINITY}), msg("/clock/speed"),
                          msg("/clock/speed", {1.0, 2.0})}) {
    EXPECT_EQ(route_osc(bad, r).kind, Routed::Kind::Rejected) << bad.numbers.size();
    EXPECT_EQ(r.value("/clock/speed"), 1.0);
  }
  OscMessage blob = msg("/clock/speed", {2.0});
  blob.unsupported = true;
  EXPECT_EQ(route_osc(blob, r).kind, Routed::Kind::Rejected);
  EXPECT_EQ(r.changes(), 0u);
}

TEST(OscRouter, TriggersEditsAndUnknownAddressesGoToTheStage) {
  auto r = registry_with_speed_and_stride();
  EXPECT_EQ(route_osc(msg("/clock/tap"), r).trigger, Trigger::Tap);
  EXPECT_EQ(route_osc(msg("/clock/downbeat"), r).trigger, Trigger::Downbeat);
  const auto play = route_osc(msg("/clock/play", {0.0}), r);
  EXPECT_EQ(play.kind, Routed::Kind::Triggered);
  EXPECT_EQ(play.value, 0.0);
  OscMessage load = msg("/preset/load");
  EXPECT_EQ(route_osc(load, r).kind, Routed::Kind::Rejected);  // which preset?
  load.text = "dance";
  load.has_text = true;
  const auto loaded = route_osc(load, r);
  EXPECT_EQ(loaded.trigger, Trigger::LoadPreset);
  EXPECT_EQ(loaded.text, "dance");
  const auto edit = route_osc(msg("/edit/smile/alpha", {2.0}), r);
  EXPECT_EQ(edit.kind, Routed::Kind::EditWanted);
  EXPECT_EQ(edit.text, "smile");
  EXPECT_EQ(edit.value, 2.0);
  EXPECT_EQ(route_osc(msg("/edit/smile/alpha", {std::nan("")}), r).kind, Routed::Kind::Rejected);
  EXPECT_EQ(route_osc(msg("/tile/9/stride", {1.0}), r).kind, Routed::Kind::Unknown);
  EXPECT_EQ(route_osc(msg("/norm/edit/smile/alpha", {1.0}), r).kind, Routed::Kind::Unknown);
}

TEST(OscRouter, TheAddressSpaceListsParametersNormFormsEditsAndTriggers) {
  const auto r = registry_with_speed_and_stride();
  const auto space = osc_address_space(r, {"smile"});
  auto has = [&](const std::string& a) {
    for (const auto& s : space)
      if (s.address == a) return true;
    return false;
  };
  for (const char* a : {"/clock/speed", "/norm/clock/speed", "/tile/1/stride", "/edit/smile/alpha", "/clock/tap", "/preset/load"})
    EXPECT_TRUE(has(a)) << a;
}

}  // namespace
}  // namespace lw::control
