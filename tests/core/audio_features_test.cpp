// Audio features from sample blocks: level and bands of known sines, onsets at the clicks of a
// click track and its tempo, and the same features for the same samples every time.
#include "core/audio_features.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>
#include <numbers>
#include <random>
#include <vector>

#include "core/base/check.hpp"
#include "tests/support/metronome.hpp"

namespace lw {
namespace {

constexpr int kRate = 44100;

std::vector<float> sine(double hz, double amplitude, double seconds) {
  std::vector<float> s(static_cast<std::size_t>(seconds * kRate));
  for (std::size_t i = 0; i < s.size(); ++i)
    s[i] = static_cast<float>(amplitude * std::sin(2.0 * std::numbers::pi * hz * static_cast<double>(i) / kRate));
  return s;
}

std::vector<float> click_track(double bpm, double seconds, std::vector<double>& clicks) {
  return test::metronome(kRate, bpm, seconds, 0.25, clicks);
}

std::vector<AudioFeatures> analyse(const std::vector<float>& samples, AudioAnalysisSettings s = {}) {
  s.sample_rate = kRate;
  AudioAnalyzer a(s);
  std::vector<AudioFeatures> out;
  for (std::size_t at = 0; at + static_cast<std::size_t>(s.hop) <= samples.size(); at += static_cast<std::size_t>(s.hop))
    out.push_back(a.process(std::span<const float>(samples.data() + at, static_cast<std::size_t>(s.hop))));
  return out;
}

TEST(AudioFeatures, LevelAndBandsOfKnownSines) {
  struct Case { double hz; int band; };
  for (const Case c : {Case{60.0, 0}, Case{1000.0, 1}, Case{6000.0, 2}}) {
    const auto all = analyse(sine(c.hz, 0.5, 1.0));
    const auto& f = all.back();
    double level = 0.0;  // over many hops: one hop holds less than a period of 60 Hz
    for (std::size_t i = all.size() - 40; i < all.size(); ++i) level += all[i].level / 40.0;
    EXPECT_NEAR(level, 0.5 / std::sqrt(2.0), 0.01) << c.hz;
    const double bands[3] = {f.bass, f.mid, f.high};
    EXPECT_NEAR(bands[c.band], 0.5, 0.1) << c.hz << " Hz reads " << bands[c.band];
    for (int b = 0; b < 3; ++b)
      if (b != c.band) {
        EXPECT_LT(bands[b], 0.05) << c.hz << " Hz leaks into band " << b;
      }
  }
  const auto silent = analyse(std::vector<float>(kRate, 0.f)).back();
  EXPECT_EQ(silent.level, 0.0);
  EXPECT_FALSE(silent.onset);
}

TEST(AudioFeatures, OnsetsAtTheClicksAndTheTempoOfAClickTrack) {
  std::vector<double> clicks;
  const auto track = click_track(120.0, 20.0, clicks);
  AudioAnalysisSettings s;
  const auto features = analyse(track, s);
  const double block = static_cast<double>(s.hop) / kRate;
  std::vector<double> onsets;
  for (const auto& f : features)
    if (f.onset) onsets.push_back(f.onset_time);
  ASSERT_EQ(onsets.size(), clicks.size()) << "one onset per click, no more";
  double worst = 0.0;
  for (std::size_t i = 0; i < clicks.size(); ++i) worst = std::max(worst, std::abs(onsets[i] - clicks[i]));
  EXPECT_LE(worst, block) << "worst onset " << worst * 1000 << " ms from its click";
  EXPECT_NEAR(features.back().bpm, 120.0, 1.0);
  std::cout << clicks.size() << " clicks, " << onsets.size() << " onsets, worst " << worst * 1000 << " ms off (a block is "
            << block * 1000 << " ms); tempo " << features.back().bpm << " bpm\n";
}

TEST(AudioFeatures, TheSameSamplesGiveTheSameFeatures) {
  std::vector<double> clicks;
  const auto track = click_track(97.0, 6.0, clicks);
  const auto a = analyse(track), b = analyse(track);
  ASSERT_EQ(a.size(), b.size());
  for (std::size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].level, b[i].level);
    EXPECT_EQ(a[i].bass, b[i].bass);
    EXPECT_EQ(a[i].onset, b[i].onset);
    EXPECT_EQ(a[i].bpm, b[i].bpm);
  }
}

TEST(AudioFeatures, SettingsAubioCannotTakeAreAClearError) {
  AudioAnalysisSettings s;
  s.window = 1000;
  EXPECT_THROW(AudioAnalyzer{s}, Error);
  s.window = 1024, s.hop = 2048;
  EXPECT_THROW(AudioAnalyzer{s}, Error);
}

}  // namespace
}  // namespace lw
