// Outputs are observers of presented frames: the stage reads a frame back when any observer
// wants it and hands each one the finished pixels on the render thread. Each writes on its own
// thread (FrameWriter), so a slow disk or encoder holds the loop only when its queue is full.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "renderer/frame_renderer.hpp"

namespace lw {
class AtomicFile;
namespace renderer {
class VideoEncoder;
struct AudioTrack;
}
}  // namespace lw

namespace lw::stage {

class FrameWriter;

class FrameObserver {
 public:
  virtual ~FrameObserver() = default;
  // Whether frame `index` (0: the stage's first frame) is read back for this observer.
  virtual bool wants(std::uint64_t index) const = 0;
  // The finished frame, on the render thread; the pixels are valid during the call only.
  virtual void on_frame(std::uint64_t index, const renderer::ReadbackImage& image) = 0;
  // After the last frame: writes what is queued and closes files; throws on failure.
  virtual void finish() {}
};

// Every frame as DIR/frame_0000.png ...
class PngSequence : public FrameObserver {
 public:
  // width x height: the frames' size, which sizes the queue.
  PngSequence(std::filesystem::path folder, int width, int height);
  ~PngSequence() override;
  bool wants(std::uint64_t) const override { return true; }
  void on_frame(std::uint64_t index, const renderer::ReadbackImage& image) override;
  void finish() override;
  std::size_t written() const;

 private:
  std::filesystem::path folder_;
  std::unique_ptr<FrameWriter> writer_;
};

// One frame as a PNG: frame `index`, or the next one offered when index is kNext.
class Screenshot : public FrameObserver {
 public:
  static constexpr std::uint64_t kNext = UINT64_MAX;
  Screenshot(std::filesystem::path path, std::uint64_t index) : path_(std::move(path)), index_(index) {}
  bool wants(std::uint64_t index) const override { return !done_ && (index_ == kNext || index == index_); }
  void on_frame(std::uint64_t index, const renderer::ReadbackImage& image) override;
  bool done() const { return done_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  std::uint64_t index_;
  bool done_ = false;
};

#ifdef LW_HAVE_VIDEO
// Every frame into an H.264 MP4, encoded on its own thread into a temporary file beside the
// output and renamed over it only once complete: an error or an interruption leaves nothing.
// `sound`, when given, goes in as an AAC stream from the first frame on.
class VideoOutput : public FrameObserver {
 public:
  // `fps`: a rate renderer::frame_rate_of takes (29.97 is NTSC's 30000/1001).
  VideoOutput(const std::filesystem::path& path, int width, int height, double fps, int crf, const std::string& speed,
              std::shared_ptr<const renderer::AudioTrack> sound = nullptr);
  ~VideoOutput() override;
  bool wants(std::uint64_t) const override { return true; }
  void on_frame(std::uint64_t index, const renderer::ReadbackImage& image) override;
  // Checks every frame offered reached the encoder, finishes and moves the file into place.
  void finish() override;
  double encoder_wait_seconds() const { return waited_s_; }

 private:
  std::unique_ptr<AtomicFile> file_;
  std::unique_ptr<renderer::VideoEncoder> encoder_;
  std::unique_ptr<FrameWriter> writer_;
  std::int64_t offered_ = 0;
  double waited_s_ = 0.0;
};

#endif

}  // namespace lw::stage
