// Audio files through the FFmpeg libraries and back: each format latentwalk writes (the WAV beside
// a music video's frames, the synthesised beat) decodes to the rate, channels and length written;
// the lossless ones to the very samples; a video's sound is AAC at the track's rate.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>

#include "core/base/check.hpp"
#include "core/synth_beat.hpp"
#include "renderer/audio_decoder.hpp"
#include "renderer/audio_stream.hpp"
#include "renderer/audio_writer.hpp"
#include "tests/test_paths.hpp"

namespace lw::renderer {
namespace {
namespace fs = std::filesystem;

AudioTrack beat(int rate, int channels, double seconds) {
  SynthBeatSettings s;
  s.sample_rate = rate, s.channels = channels, s.seconds = seconds;
  AudioTrack t;
  t.sample_rate = rate, t.channels = channels, t.samples = synth_beat(s).samples;
  return t;
}

class AudioFile : public ::testing::TestWithParam<const char*> {};

TEST_P(AudioFile, DecodesToTheRateChannelsAndLengthWritten) {
  const fs::path dir = fs::path(LW_TEST_TMP) / "audio-files";
  fs::create_directories(dir);
  const fs::path path = dir / (std::string("beat") + GetParam());
  const AudioTrack written = beat(44100, 2, 2.0);
  write_audio_file(path, written);
  const AudioTrack read = decode_audio(path);
  EXPECT_EQ(read.sample_rate, 44100);
  EXPECT_EQ(read.channels, 2);
  // Lossy coders pad to whole frames; the containers say how much to drop (within a frame).
  EXPECT_NEAR(read.seconds(), 2.0, 0.03) << GetParam();
  const std::string ext = GetParam();
  if (ext == ".wav" || ext == ".flac") {
    ASSERT_EQ(read.samples.size(), written.samples.size());
    float worst = 0.f;
    for (std::size_t i = 0; i < read.samples.size(); ++i) worst = std::max(worst, std::abs(read.samples[i] - written.samples[i]));
    EXPECT_LE(worst, 1.0f / 32768) << "16-bit rounding only";
  }
  fs::remove(path);
}

INSTANTIATE_TEST_SUITE_P(EachFormat, AudioFile, ::testing::Values(".wav", ".flac", ".mp3", ".ogg", ".m4a"),
                         [](const auto& info) { return std::string(info.param + 1); });

TEST(AudioFileErrors, UnknownNamesAndRatesAACCannotCarry) {
  const fs::path dir = fs::path(LW_TEST_TMP) / "audio-files";
  fs::create_directories(dir);
  EXPECT_THROW(write_audio_file(dir / "beat.aiff", beat(44100, 1, 1.0)), Error);
  EXPECT_FALSE(fs::exists(dir / "beat.aiff"));
  EXPECT_EQ(aac_sample_rate(44100), 44100);
  EXPECT_EQ(aac_sample_rate(22050), 22050);
  EXPECT_EQ(aac_sample_rate(37800), 48000);  // no AAC rate: resampled
}

}  // namespace
}  // namespace lw::renderer
