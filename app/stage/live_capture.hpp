// Live capture: the viewer's frames as they are presented, into an H.264 video in real time.
// Each frame is stamped with the time it was presented (at a 60 Hz time base), so the video
// plays at the pace the performer saw; frames arriving within one tick of the last are dropped.
// Encoding runs on its own thread; the file appears at its path only when capture stops. An
// observer of every presented frame (frame_outputs.hpp).
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "app/stage/frame_outputs.hpp"

namespace lw::stage {

class LiveCapture : public FrameObserver {
 public:
  // Opens `path` for frames of width x height (odd sizes lose their last row or column).
  LiveCapture(const std::filesystem::path& path, int width, int height);
  ~LiveCapture() override;  // without stop(): nothing is left at the path
  LiveCapture(const LiveCapture&) = delete;
  LiveCapture& operator=(const LiveCapture&) = delete;

  // A presented frame: width x height pixels of 4 bytes (RGBA or BGRA), rows packed. Frames of
  // another size (the window was resized) are dropped.
  void add(const std::uint8_t* pixels, int width, int height, bool bgr);
  bool wants(std::uint64_t) const override { return true; }
  void on_frame(std::uint64_t, const renderer::ReadbackImage& image) override {
    add(image.pixels, static_cast<int>(image.width), static_cast<int>(image.height), image.bgr);
  }
  void finish() override { stop(); }
  // "captured N frames to PATH".
  std::string status() const;
  // Encodes what is queued, finishes the file and moves it into place.
  void stop();
  std::int64_t frames() const { return frames_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  static constexpr int kTimeBase = 60;
  std::filesystem::path path_;
  int width_, height_;  // even
  std::unique_ptr<AtomicFile> file_;
  std::unique_ptr<renderer::VideoEncoder> encoder_;
  std::unique_ptr<FrameWriter> writer_;
  std::chrono::steady_clock::time_point start_;
  std::int64_t last_pts_ = -1, frames_ = 0;
};

}  // namespace lw::stage
