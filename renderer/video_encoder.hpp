// H.264 in MP4 through the FFmpeg libraries: frames of 4-byte pixels, as readback gives them
// (RGBA or BGRA), converted to yuv420p by libswscale and encoded by libx264 at a constant rate
// factor. Frame i is stamped i / fps, so the video's timing is exact whatever the render speed.
// Writes to the path it is given; callers that must never leave a partial file (record) hand it
// a temporary path and rename it once finish() returns.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "renderer/audio_decoder.hpp"

namespace lw::renderer {

struct VideoSettings {
  int width = 0, height = 0;  // both even (yuv420p halves the chroma planes)
  int fps = 30;               // frames per fps_base seconds: 30000 / 1001 is NTSC's 29.97
  int crf = 18;                       // x264's quality: 0 lossless .. 51 worst; 18 looks lossless
  std::string speed = "veryfast";     // x264 preset: faster encodes, larger files
  std::string container = "mp4";      // FFmpeg's muxer: "mp4", "mov" or "matroska"
  // The sound, from the video's first frame on (a rate AAC takes: aac_sample_rate); none: silent.
  std::shared_ptr<const AudioTrack> audio;
  int fps_base = 1;
};

// A frame rate as a fraction a container stores exactly.
struct FrameRate {
  int num = 30, den = 1;
  double value() const { return static_cast<double>(num) / den; }
};
// `fps` as that fraction: whole numbers as they are, NTSC's 23.976, 29.97, 47.952, 59.94 and
// 119.88 as N000/1001, and rates with two decimals (12.5) as hundredths; between 1 and 240.
// Throws lw::Error naming the rate otherwise.
FrameRate frame_rate_of(double fps);

// The container a video's file name asks for: .mp4, .mov or .mkv (H.264 in each), any case;
// throws lw::Error naming the path otherwise.
std::string video_container_for(const std::filesystem::path& path);

class VideoEncoder {
 public:
  // Opens the file and the encoder; throws lw::Error (no H.264 encoder, bad size, unwritable path).
  VideoEncoder(const std::filesystem::path& path, const VideoSettings& settings);
  ~VideoEncoder();  // frees everything; a file not finished is left incomplete
  VideoEncoder(const VideoEncoder&) = delete;
  VideoEncoder& operator=(const VideoEncoder&) = delete;

  // One frame of width x height pixels, 4 bytes each, rows packed, shown at `pts` / fps
  // seconds (default: the next frame, frames() / fps). Timestamps must grow.
  void add(const std::uint8_t* pixels, bool bgr, std::int64_t pts = -1);
  // Writes the audio left, flushes the encoders and writes the trailer. No add() after this.
  void finish();
  std::int64_t frames() const { return frames_; }

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
  std::int64_t frames_ = 0, next_pts_ = 0;
};

}  // namespace lw::renderer
