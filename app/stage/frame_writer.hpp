// Writes rendered frames on its own thread, in order, so encoding does not hold up the render
// loop: as PNG files (at idle priority) by default, or through any other writer, such as the
// video encoder. The queue is bounded (by frames; the caller sizes it from a memory budget):
// when the writer falls that far behind, queue() waits, since every frame of a headless run or a
// video must be written; the time it waits is counted. Image buffers are recycled, so a warm
// writer allocates nothing.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <filesystem>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/image.hpp"

namespace lw::stage {

class FrameWriter {
 public:
  // One frame: width x height pixels of 4 bytes, RGBA or (with `bgr`) BGRA, and where it goes: a
  // file path, or a timestamp for a video.
  struct Frame {
    std::filesystem::path path;
    std::int64_t stamp = -1;
    int width = 0, height = 0;
    bool bgr = false;
    std::vector<std::uint8_t> pixels;
  };
  using Write = std::function<void(const Frame&)>;
  // Fast-compressed PNG files at the paths queued.
  static Write png_files();

  explicit FrameWriter(std::size_t depth = 4, Write write = png_files(), bool idle_priority = true);
  // A queue depth that holds `megabytes` of width x height frames, and at least 4 of them.
  static std::size_t depth_for(std::size_t megabytes, int width, int height);
  ~FrameWriter();  // writes what is queued, then stops
  FrameWriter(const FrameWriter&) = delete;
  FrameWriter& operator=(const FrameWriter&) = delete;

  // A buffer to fill and hand back through queue(); reuses a written one when it can.
  std::vector<std::uint8_t> take_buffer();
  void queue(Frame frame);
  // Waits until everything queued is written; throws the first write error.
  void drain();
  std::size_t written() const;
  // Seconds queue() has spent waiting for the writer to catch up.
  double blocked_seconds() const;

 private:
  void run();

  std::size_t depth_;
  Write write_;
  bool idle_;
  double blocked_s_ = 0.0;
  mutable std::mutex mutex_;
  std::condition_variable cv_;
  std::deque<Frame> jobs_;
  std::vector<std::vector<std::uint8_t>> free_;
  bool stop_ = false, busy_ = false;
  std::size_t written_ = 0;
  std::string error_;
  std::thread thread_;
};

}  // namespace lw::stage
