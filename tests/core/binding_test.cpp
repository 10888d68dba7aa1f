// Bindings: the curve and range a source goes through, smoothing that moves the same at any
// frame rate, triggers that fire once per crossing, LFOs, the engine over a registry, and the
// preset's JSON.
#include "core/binding_engine.hpp"

#include <gtest/gtest.h>

#include <cmath>

#include "core/base/check.hpp"
#include "core/preset.hpp"
#include "core/triggers.hpp"

namespace lw {
namespace {

Binding fader(const std::string& target = "/tile/1/stride") {
  Binding b;
  b.source.kind = BindingSourceKind::Osc;
  b.source.address = "/fader/1";
  b.target = target;
  return b;
}

TEST(Binding, RangesCurvesAndInvert) {
  Binding b = fader();
  b.in_min = 0.0, b.in_max = 127.0;
  EXPECT_DOUBLE_EQ(binding_output(b, 63.5, 0.0, 100.0), 50.0);
  EXPECT_DOUBLE_EQ(binding_output(b, 500.0, 0.0, 100.0), 100.0);  // clamped to the input range
  EXPECT_DOUBLE_EQ(binding_output(b, std::nan(""), 0.0, 100.0), 0.0);
  b.out_min = 2.0, b.out_max = 4.0;
  EXPECT_DOUBLE_EQ(binding_output(b, 127.0, 0.0, 100.0), 4.0);
  b.invert = true;
  EXPECT_DOUBLE_EQ(binding_output(b, 127.0, 0.0, 100.0), 2.0);
  Binding c = fader();
  for (const Curve curve : {Curve::Exponential, Curve::Logarithmic, Curve::S}) {
    c.curve = curve;
    EXPECT_NEAR(shaped_unit(c, 0.0), 0.0, 1e-12);
    EXPECT_NEAR(shaped_unit(c, 1.0), 1.0, 1e-12);
  }
  c.curve = Curve::Exponential;
  EXPECT_LT(shaped_unit(c, 0.5), 0.2);  // slow at first
  c.curve = Curve::Logarithmic;
  EXPECT_GT(shaped_unit(c, 0.5), 0.8);  // fast at first
  c.curve = Curve::S;
  EXPECT_DOUBLE_EQ(shaped_unit(c, 0.5), 0.5);
  EXPECT_LT(shaped_unit(c, 0.1), 0.1);
}

TEST(Binding, SmoothingMovesTheSameAtAnyFrameRate) {
  for (const double fps : {24.0, 30.0, 60.0, 240.0}) {
    Smoother s;
    s.reset(0.0);
    const int frames = static_cast<int>(fps);  // one second
    for (int k = 0; k < frames; ++k) s.step(1.0, 1.0 / fps, 0.5, 2.0);
    EXPECT_NEAR(s.value(), 1.0 - std::exp(-2.0), 1e-9) << fps;  // attack 0.5 s: after 1 s, 1 - e^-2
    for (int k = 0; k < frames; ++k) s.step(0.0, 1.0 / fps, 0.5, 2.0);
    EXPECT_NEAR(s.value(), (1.0 - std::exp(-2.0)) * std::exp(-0.5), 1e-9) << fps;  // release 2 s
  }
  Smoother instant;
  instant.reset(0.0);
  EXPECT_EQ(instant.step(3.0, 1.0 / 30, 0.0, 0.0), 3.0);
}

TEST(Binding, ATriggerFiresOncePerCrossingAndHolds) {
  TriggerGate g;
  EXPECT_FALSE(g.step(0.2, 0.00, 0.5, 0.25));
  EXPECT_TRUE(g.step(0.9, 0.01, 0.5, 0.25));
  EXPECT_FALSE(g.step(0.9, 0.02, 0.5, 0.25));  // still above: no second fire
  EXPECT_FALSE(g.step(0.1, 0.03, 0.5, 0.25));
  EXPECT_FALSE(g.step(0.9, 0.10, 0.5, 0.25));  // within the hold
  EXPECT_FALSE(g.step(0.1, 0.20, 0.5, 0.25));
  EXPECT_TRUE(g.step(0.9, 0.40, 0.5, 0.25));
}

TEST(Binding, LfoShapes) {
  EXPECT_NEAR(lfo_value(LfoShape::Sine, 0.0), 0.0, 1e-12);
  EXPECT_NEAR(lfo_value(LfoShape::Sine, 0.5), 1.0, 1e-12);
  EXPECT_NEAR(lfo_value(LfoShape::Triangle, 0.25), 0.5, 1e-12);
  EXPECT_NEAR(lfo_value(LfoShape::Saw, 2.75), 0.75, 1e-12);
  EXPECT_EQ(lfo_value(LfoShape::Square, 0.4), 1.0);
  EXPECT_EQ(lfo_value(LfoShape::Square, 0.6), 0.0);
}

ParameterRegistry registry() {
  ParameterRegistry r;
  r.add({"/tile/1/stride", ParamType::Float, 0.0, 100.0, 8.0, "", ""});
  r.add({"/clock/speed", ParamType::Float, 0.0, 16.0, 1.0, "x", ""});
  return r;
}

TEST(BindingEngine, SourcesMoveTheirTargetsAndTriggersFire) {
  auto r = registry();
  Binding stride = fader();
  stride.out_min = 0.0, stride.out_max = 10.0;
  Binding lfo;
  lfo.source.kind = BindingSourceKind::Lfo;
  lfo.source.period = 4.0;
  lfo.target = "/clock/speed";
  lfo.out_min = 0.0, lfo.out_max = 2.0;
  Binding tap = fader("/clock/tap");
  tap.source.address = "/pad/1";
  BindingEngine e;
  e.load({stride, lfo, tap}, r);
  EXPECT_TRUE(e.listens_to_osc("/fader/1"));
  EXPECT_FALSE(e.osc("/elsewhere", 1.0));
  e.evaluate(0.0, 0.0, 1.0 / 30, r);
  EXPECT_EQ(r.value("/tile/1/stride"), 8.0) << "no value from the fader yet: the parameter keeps its own";
  EXPECT_TRUE(e.osc("/fader/1", 0.25));
  EXPECT_TRUE(e.osc("/pad/1", 1.0));
  const auto fired = e.evaluate(2.0, 0.0, 1.0 / 30, r);
  EXPECT_DOUBLE_EQ(r.value("/tile/1/stride"), 2.5);
  EXPECT_NEAR(r.value("/clock/speed"), 2.0, 1e-9);  // half a 4 s cycle: the sine's top
  ASSERT_EQ(fired, std::vector<std::string>{"/clock/tap"});
  EXPECT_TRUE(e.evaluate(2.1, 0.0, 1.0 / 30, r).empty());
  e.evaluate(1.0, 120.0, 1.0 / 30, r);  // at 120 bpm, 1 s is 2 beats: half the 4-beat cycle
  EXPECT_NEAR(r.value("/clock/speed"), 2.0, 1e-9);
  EXPECT_TRUE(e.meters()[0].live && e.meters()[0].resolved);
}

TEST(BindingEngine, EachOnsetTapsOnceAtTheTimeItSoundedHoweverSlowTheFrames) {
  auto r = registry();
  Binding tap;
  tap.source.kind = BindingSourceKind::Audio;
  tap.source.address = "onset";
  tap.target = "/clock/tap";
  tap.threshold = 0.5, tap.hold = 0.2;
  BindingEngine e;
  e.load({tap}, r);
  // One slow frame gathers 60 hops of 10 ms holding two onsets 0.5 s apart, then a quick frame
  // holds a third: each fires once, with the time it sounded, not the frame's.
  std::vector<BindingEngine::AudioTrigger> fired;
  for (int hop = 0; hop < 70; ++hop) {
    AudioFeatures f;
    f.time = 0.01 * (hop + 1);
    f.onset = hop == 4 || hop == 54 || hop == 69;
    f.onset_time = f.onset ? 0.01 * hop - 0.003 : 0.0;
    for (auto& t : e.audio_events(f)) fired.push_back(t);
    if (hop == 59) {
      EXPECT_TRUE(e.evaluate(0.6, 0.0, 0.6, r).empty()) << "audio triggers fire from the hops, not again here";
    }
  }
  ASSERT_EQ(fired.size(), 2u) << "the third onset is 0.15 s after the second: within the 0.2 s hold";
  EXPECT_EQ(fired[0].address, "/clock/tap");
  EXPECT_NEAR(fired[0].time, 0.037, 1e-12);
  EXPECT_NEAR(fired[1].time, 0.537, 1e-12);
  EXPECT_EQ(e.meters()[0].output, 1.0) << "the meter shows a trigger fired since the last frame";
  e.evaluate(0.7, 0.0, 0.1, r);
  EXPECT_EQ(e.meters()[0].output, 0.0);
  // Another input starts its clock again at 0: its first onset still fires.
  AudioFeatures again;
  again.time = 0.01, again.onset = true, again.onset_time = 0.005;
  EXPECT_EQ(e.audio_events(again).size(), 1u);
}

TEST(BindingEngine, ATargetNotYetThereWaitsAndIsFoundOnTheNextLoad) {
  auto r = registry();
  Binding alpha = fader("/edit/smile/alpha");
  BindingEngine e;
  e.load({alpha}, r);
  e.osc("/fader/1", 1.0);
  e.evaluate(0.0, 0.0, 0.03, r);
  EXPECT_FALSE(e.meters()[0].resolved);
  r.add({"/edit/smile/alpha", ParamType::Float, -100.0, 100.0, 0.0, "", ""});
  e.load({alpha}, r);  // a new scene with the edit: the source's value is kept
  e.evaluate(0.03, 0.0, 0.03, r);
  EXPECT_EQ(r.value("/edit/smile/alpha"), 100.0);
}

TEST(BindingEngine, PresetsSaveAndLoadTheirBindings) {
  const std::string text = R"({"version": 1, "model": "m", "tiles": [{"label": "a", "walk": "linear", "direction": "d.npy"}],
    "bindings": [
      {"target": "/tile/1/stride", "source": "osc", "address": "/fader/1", "out": [0, 12], "curve": "exp", "attack": 0.05, "release": 0.5},
      {"target": "/clock/speed", "source": "lfo", "shape": "triangle", "period": 8, "out": [0.5, 2]},
      {"target": "/edit/age/alpha", "source": "midi_cc", "channel": 1, "number": 21, "invert": true},
      {"target": "/clock/tap", "source": "audio", "address": "onset", "threshold": 0.6, "hold": 0.2}]})";
  const Preset p = parse_preset(text, "test");
  ASSERT_EQ(p.bindings.size(), 4u);
  EXPECT_EQ(p.bindings[0].curve, Curve::Exponential);
  EXPECT_EQ(*p.bindings[0].out_max, 12.0);
  EXPECT_EQ(p.bindings[1].source.shape, LfoShape::Triangle);
  EXPECT_EQ(p.bindings[2].in_max, 127.0);  // MIDI's range by default
  EXPECT_EQ(p.bindings[3].threshold, 0.6);
  EXPECT_EQ(parse_preset(preset_json(p), "again").bindings, p.bindings);
  auto error = [&](const std::string& binding) {
    try {
      parse_preset(R"({"version": 1, "model": "m", "tiles": [{"label": "a", "walk": "linear", "direction": "d.npy"}], "bindings": [)" +
                       binding + "]}",
                   "p.json");
    } catch (const Error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(error(R"({"target": "/clock/speed", "source": "theremin"})").find("\"source\" must be osc, midi_cc"), std::string::npos);
  EXPECT_NE(error(R"({"target": "/clock/speed", "source": "audio", "address": "treble"})").find("level, bass, mid, high, onset or beat"),
            std::string::npos);
  EXPECT_NE(error(R"({"target": "/clock/speed", "source": "midi_cc", "number": 200})").find("\"number\" must be between 0 and 128"),
            std::string::npos);
  EXPECT_NE(error(R"({"target": "/clock/speed", "source": "osc", "address": "/a", "in": [1, 1]})").find("two different"),
            std::string::npos);
  EXPECT_NE(error(R"({"target": "/clock/speed", "source": "osc", "address": "/a", "colour": 1})").find("unknown field \"colour\""),
            std::string::npos);
}

TEST(Triggers, ABindingFiresOnlyTriggersThatTakeNoArgument) {
  for (const char* address : {"/clock/tap", "/clock/downbeat", "/screenshot", "/record/start", "/record/stop"})
    EXPECT_TRUE(is_trigger_address(address)) << address;
  // Triggers of OSC that need a value or a name: a threshold crossing has neither.
  EXPECT_EQ(trigger_of("/clock/play"), Trigger::Play);
  EXPECT_FALSE(is_trigger_address("/clock/play"));
  EXPECT_EQ(trigger_of("/preset/load"), Trigger::LoadPreset);
  EXPECT_FALSE(is_trigger_address("/preset/load"));
  // Parameters and near misses are not triggers.
  EXPECT_FALSE(trigger_of("/tile/1/stride"));
  EXPECT_FALSE(trigger_of("/clock/tap/"));
  EXPECT_FALSE(is_trigger_address(""));
}

}  // namespace
}  // namespace lw
