// Reads an MP4 back with libavformat/libavcodec, the way a player would: what the stream says
// it is and every decoded frame, counted, with the first one converted to RGB for comparison;
// an audio stream's samples decoded and counted.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace lw::test {

struct VideoProbe {
  std::string codec, pixel_format, container;  // container: FFmpeg's demuxer names ("mov,mp4,...", "matroska,webm")
  int width = 0, height = 0;
  double fps = 0.0;
  std::int64_t frames = 0;                  // decoded, not read from the header
  std::vector<std::uint8_t> first_frame;    // RGB8, width x height
  // The audio stream, when there is one: its codec, rate and channels, the seconds of samples
  // decoded, and the duration the container gives it.
  std::string audio_codec;
  int sample_rate = 0, channels = 0;
  double audio_decoded_seconds = 0.0, audio_stream_seconds = 0.0;
};

VideoProbe probe_video(const std::filesystem::path& path);  // throws std::runtime_error

// PSNR in dB between two RGB8 images of the same size.
double psnr(const std::vector<std::uint8_t>& a, const std::vector<std::uint8_t>& b);

}  // namespace lw::test
