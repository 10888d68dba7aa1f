// The live audio path: samples pushed in blocks as a capture callback delivers them, analysed on
// the input's own thread; a metronome's onsets within one block of each click and its tempo
// within 1 BPM; a ring that cannot take more drops and counts, and so does the features queue; no device is a clear error.
#include "gui/control/audio_input.hpp"

#include <gtest/gtest.h>

#include <cmath>
#include <numbers>
#include <vector>

#include "core/base/check.hpp"
#include "tests/support/metronome.hpp"

namespace lw::control {
namespace {

constexpr int kRate = 48000;

TEST(AudioInput, AMetronomeThroughTheLivePathGivesItsOnsetsAndTempo) {
  std::vector<double> clicks;
  const auto samples = test::metronome(kRate, 128.0, 16.0, 0.3, clicks);
  AudioAnalysisSettings settings;
  settings.sample_rate = kRate;
  AudioInput input(settings);
  std::vector<AudioFeatures> features;
  // 10 ms per push, as a capture callback delivers; the stage's side drained as it goes.
  const std::size_t chunk = kRate / 100;
  for (std::size_t at = 0; at < samples.size(); at += chunk) {
    input.push({samples.data() + at, std::min(chunk, samples.size() - at)});
    if ((at / chunk) % 50 == 0) input.drain();
    while (auto f = input.features().pop()) features.push_back(*f);
  }
  input.drain();
  while (auto f = input.features().pop()) features.push_back(*f);
  EXPECT_EQ(input.dropped_samples(), 0u);
  EXPECT_EQ(features.size(), samples.size() / static_cast<std::size_t>(settings.hop));
  std::vector<double> onsets;
  for (const auto& f : features)
    if (f.onset) onsets.push_back(f.onset_time);
  ASSERT_EQ(onsets.size(), clicks.size());
  const double block = static_cast<double>(settings.hop) / kRate;
  for (std::size_t i = 0; i < clicks.size(); ++i) EXPECT_NEAR(onsets[i], clicks[i], block) << "click " << i;
  EXPECT_NEAR(features.back().bpm, 128.0, 1.0);
}

TEST(AudioInput, AFullRingDropsAndCounts) {
  AudioAnalysisSettings settings;
  settings.sample_rate = kRate;
  AudioInput input(settings);
  const std::vector<float> lots(1 << 19, 0.f);  // four times what the ring holds, at once
  input.push(lots);
  EXPECT_GT(input.dropped_samples(), 0u);
}

TEST(AudioInput, FeaturesTheStageDoesNotTakeAreDroppedAndCounted) {
  AudioAnalysisSettings settings;
  settings.sample_rate = kRate;
  AudioInput input(settings);
  // 1,100 hops analysed and none taken: the queue holds 1,024 at most.
  const std::vector<float> block(static_cast<std::size_t>(settings.hop) * 100, 0.f);
  for (int i = 0; i < 11; ++i) input.push(block), input.drain();
  EXPECT_EQ(input.hops(), 1100u);
  EXPECT_EQ(input.dropped_samples(), 0u);
  std::size_t taken = 0;
  while (input.features().pop()) ++taken;
  EXPECT_GT(input.dropped_features(), 0u);
  EXPECT_EQ(taken + input.dropped_features(), 1100u);
}

TEST(AudioInput, ADeviceThatIsNotThereIsAClearError) {
  try {
    AudioInput::open_device("no such microphone 1234", {});
    FAIL() << "opened a device that does not exist";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_TRUE(m.find("no input device matches \"no such microphone 1234\"") != std::string::npos ||
                m.find("has no audio input device") != std::string::npos || m.find("PortAudio did not start") != std::string::npos)
        << m;
  }
}

}  // namespace
}  // namespace lw::control
