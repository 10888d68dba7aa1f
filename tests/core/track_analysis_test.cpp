// A track analysed ahead and performed frame by frame: the beat grid fitted through missed and
// jittered beats, a frame's features from its own time window, the synthesised beat's tempo and
// hits found, and a preset's bindings turned into the values of every frame.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

#include "core/scene_parameters.hpp"
#include "core/synth_beat.hpp"
#include "core/track_analysis.hpp"
#include "core/track_performance.hpp"

namespace lw {
namespace {

std::vector<float> mono_of(const SynthBeat& beat) {
  std::vector<float> mono(beat.samples.size() / 2);
  for (std::size_t i = 0; i < mono.size(); ++i) mono[i] = 0.5f * (beat.samples[2 * i] + beat.samples[2 * i + 1]);
  return mono;
}

TrackAnalysis analysed_beat(double bpm, double seconds) {
  SynthBeatSettings s;
  s.bpm = bpm, s.seconds = seconds;
  AudioAnalysisSettings a;
  a.sample_rate = s.sample_rate;
  return analyse_track(mono_of(synth_beat(s)), a);
}

TEST(BeatGrid, FitsTempoAndPhaseThroughMissedAndJitteredBeats) {
  // 128 bpm from 0.3 s, every fifth beat missed, +-8 ms of jitter, one beat far off.
  const double period = 60.0 / 128.0;
  std::vector<double> beats;
  for (int n = 0; n < 64; ++n) {
    if (n % 5 == 4) continue;
    beats.push_back(0.3 + 5 * period + n * period + ((n * 7) % 3 - 1) * 0.008);
  }
  beats[20] += period / 2;
  const BeatGrid grid = fit_beat_grid(beats);
  EXPECT_NEAR(grid.bpm, 128.0, 0.05);
  EXPECT_NEAR(grid.first_beat, 0.3, 0.004);
  EXPECT_EQ(fit_beat_grid({1.0, 1.5, 2.0}).bpm, 0.0);  // three beats tell nothing
}

TEST(BeatGrid, ClockTurnsOnTheBeatsAndHoldsBeforeTheFirst) {
  const BeatGrid grid{120.0, 0.2};
  EXPECT_EQ(grid.clock_at(0.1), 0.0);
  EXPECT_NEAR(grid.clock_at(0.2 + 3 * 0.5), 1.5, 1e-12);  // beat 3 at 3 beats of clock
  EXPECT_TRUE(grid.beat_in(0.65, 0.7));
  EXPECT_FALSE(grid.beat_in(0.7, 1.15));
  EXPECT_EQ(BeatGrid{}.clock_at(3.25), 3.25);  // no grid: the track's seconds
}

TEST(TrackAnalysis, FindsTheSynthesisedBeatsTempoAndHits) {
  SynthBeatSettings s;
  const SynthBeat beat = synth_beat(s);
  AudioAnalysisSettings a;
  a.sample_rate = s.sample_rate;
  const TrackAnalysis t = analyse_track(mono_of(beat), a);
  EXPECT_NEAR(t.seconds, 16.0, 1e-9);
  EXPECT_NEAR(t.grid.bpm, 120.0, 0.02);  // the onsets on the beats place it
  // Every kick and hat found within 15 ms, and nothing else.
  std::vector<double> hits = beat.kicks;
  hits.insert(hits.end(), beat.hats.begin(), beat.hats.end());
  std::sort(hits.begin(), hits.end());
  ASSERT_EQ(t.onsets.size(), hits.size());
  for (std::size_t i = 0; i < hits.size(); ++i) EXPECT_NEAR(t.onsets[i], hits[i], 0.015) << "hit " << i;
  // The grid's beats are the kicks.
  const double period = 60.0 / t.grid.bpm;
  for (double kick : beat.kicks) {
    const double n = std::round((kick - t.grid.first_beat) / period);
    EXPECT_NEAR(t.grid.first_beat + n * period, kick, 0.03);
  }
}

TEST(TrackAnalysis, AFramesFeaturesAreThoseOfItsTimeWindow) {
  const TrackAnalysis t = analysed_beat(120.0, 8.0);
  const double span = 1.0 / 30;
  // The frame at or after each onset has it, the frame before does not.
  for (double onset : t.onsets) {
    const double k = std::ceil(onset * 30 - 1e-9);
    EXPECT_TRUE(t.frame(k / 30, span).onset) << onset;
    EXPECT_FALSE(t.frame((k - 1) / 30, span).onset) << onset;
  }
  // A kick's frame is loud in the bass; the frame before the next kick is quieter.
  const AudioFeatures kick = t.frame(std::ceil(2.5 * 30) / 30 + span, span), before = t.frame(2.95, span);
  EXPECT_GT(kick.bass, 3 * before.bass);
  EXPECT_GT(kick.level, before.level);
  EXPECT_NEAR(kick.bpm, t.grid.bpm, 1e-12);
  // A window shorter than a hop still has the hop before it (120 fps at 44.1 kHz).
  EXPECT_GT(t.frame(2.55, 1.0 / 240).level, 0.0);
  // Past the end: silence, no beat.
  const AudioFeatures after = t.frame(t.seconds + 0.5, span);
  EXPECT_EQ(after.level, 0.0);
  EXPECT_FALSE(after.beat || after.onset);
}

TEST(TrackPerformance, OnsetsKickAPulseThatDecaysAndLevelDrivesTheWalk) {
  const TrackAnalysis t = analysed_beat(120.0, 6.0);
  Preset p;
  p.model = "m";
  p.bpm = 0.0;
  TilePreset tile;
  tile.label = "a", tile.walk = WalkKind::Linear, tile.direction = "d.npy";
  p.tiles = {tile};
  Binding pulse;
  pulse.source = {BindingSourceKind::Audio, "onset"};
  pulse.target = "/tile/1/stride", pulse.out_min = 0.0, pulse.out_max = 10.0, pulse.release = 0.1;
  Binding motion;
  motion.source = {BindingSourceKind::Audio, "level"};
  motion.target = "/clock/speed", motion.in_max = 0.4, motion.out_min = 0.0, motion.out_max = 4.0;
  Binding tap;
  tap.source = {BindingSourceKind::Audio, "beat"};
  tap.target = "/clock/tap";
  p.bindings = {pulse, motion, tap};
  ParameterRegistry registry;
  const SceneParameters layout = register_scene_parameters(registry, p);
  const TrackPerformance perf = perform_track(p, registry, layout, t, {0.0, 30.0, 180});
  ASSERT_EQ(perf.timeline.frames.size(), 180u);
  EXPECT_EQ(perf.ignored, std::vector<std::string>{"/clock/tap"});  // a render plays no triggers
  ParameterRegistry replay;
  register_scene_parameters(replay, p);
  for (double onset : t.onsets) {
    const double k = std::ceil(onset * 30 - 1e-9);
    if (k + 2 >= 180) break;
    const auto values = [&](double f) { return perf.timeline.values_at(f / 30, replay)[static_cast<std::size_t>(layout.tiles[0].stride)]; };
    EXPECT_NEAR(values(k), 10.0, 1e-9) << "the pulse jumps on the onset's frame " << k;
    EXPECT_LT(values(k + 2), values(k + 1)) << "and decays";
  }
  // The walk time is the sum of speed x dt: it advances faster while the track is loud, and never
  // goes back.
  for (std::size_t k = 1; k < perf.timeline.frames.size(); ++k) {
    EXPECT_NEAR(perf.timeline.frames[k].clock, k / 30.0, 1e-9);
    EXPECT_GE(perf.timeline.frames[k].walk, perf.timeline.frames[k - 1].walk);
  }
  EXPECT_GT(perf.timeline.frames.back().walk, 0.5);
}

TEST(TrackPerformance, WalksInBeatsTakeTheTracksTempoAndBeatGrid) {
  const TrackAnalysis t = analysed_beat(100.0, 8.0);
  Preset p;
  p.model = "m";
  p.bpm = 120.0;  // counts beats: the track's tempo replaces it
  TilePreset tile;
  tile.label = "k", tile.walk = WalkKind::Keyframes, tile.keyframes = {1, 2, 3};
  p.tiles = {tile};
  ParameterRegistry registry;
  const SceneParameters layout = register_scene_parameters(registry, p);
  const TrackPerformance perf = perform_track(p, registry, layout, t, {2.0, 25.0, 50});
  ParameterRegistry replay;
  register_scene_parameters(replay, p);
  EXPECT_NEAR(perf.timeline.values_at(0.0, replay)[static_cast<std::size_t>(layout.bpm)], t.grid.bpm, 1e-9);
  for (const AutomationFrame& f : perf.timeline.frames)  // clock = the track's time less its first beat
    EXPECT_NEAR(f.clock, 2.0 + f.at - t.grid.first_beat, 1e-9);
}

TEST(TrackAnalysis, TheGridStaysOnTheKicksForThreeMinutes) {
  // aubio's tracker keeps this beat at 121.1 bpm, slipping back half a beat now and then; the
  // onsets on the beats put the grid right.
  SynthBeatSettings s;
  s.seconds = 180, s.channels = 1, s.bpm = 120;
  const SynthBeat beat = synth_beat(s);
  AudioAnalysisSettings a;
  a.sample_rate = s.sample_rate;
  const TrackAnalysis t = analyse_track(beat.samples, a);
  EXPECT_NEAR(t.grid.bpm, 120.0, 0.01);
  const double period = 60.0 / t.grid.bpm;
  double worst = 0.0;
  for (double kick : beat.kicks) {
    const double n = std::round((kick - t.grid.first_beat) / period);
    worst = std::max(worst, std::abs(t.grid.first_beat + n * period - kick));
  }
  EXPECT_LT(worst, 0.015) << "a grid beat that far from its kick";
}

}  // namespace
}  // namespace lw
