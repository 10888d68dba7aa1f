#include "app/stage/live_capture.hpp"

#include <algorithm>
#include <cstring>

#include "app/stage/frame_writer.hpp"
#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"
#include "renderer/video_encoder.hpp"

namespace lw::stage {

LiveCapture::LiveCapture(const std::filesystem::path& path, int width, int height)
    : path_(path), width_(width & ~1), height_(height & ~1) {
  LW_EXPECT(width_ >= 2 && height_ >= 2, "nothing to capture in a " << width << "x" << height << " window");
  file_ = std::make_unique<AtomicFile>(path);
  encoder_ = std::make_unique<renderer::VideoEncoder>(file_->temp_path(),
                                                      renderer::VideoSettings{width_, height_, kTimeBase, 18, "veryfast",
                                                                              renderer::video_container_for(path)});
  writer_ = std::make_unique<FrameWriter>(
      FrameWriter::depth_for(256, width_, height_),
      [enc = encoder_.get()](const FrameWriter::Frame& f) { enc->add(f.pixels.data(), f.bgr, f.stamp); }, false);
  start_ = std::chrono::steady_clock::now();
}

LiveCapture::~LiveCapture() = default;

void LiveCapture::add(const std::uint8_t* pixels, int width, int height, bool bgr) {
  if (width < width_ || height < height_ || (width & ~1) != width_ || (height & ~1) != height_) return;
  const auto pts = static_cast<std::int64_t>(
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() * kTimeBase);
  if (pts <= last_pts_) return;
  last_pts_ = pts;
  auto buffer = writer_->take_buffer();
  buffer.resize(static_cast<std::size_t>(width_) * height_ * 4);
  for (int y = 0; y < height_; ++y)
    std::memcpy(buffer.data() + static_cast<std::size_t>(y) * width_ * 4, pixels + static_cast<std::size_t>(y) * width * 4,
                static_cast<std::size_t>(width_) * 4);
  writer_->queue({{}, pts, width_, height_, bgr, std::move(buffer)});
  ++frames_;
}

void LiveCapture::stop() {
  writer_->drain();
  writer_.reset();
  LW_EXPECT(encoder_->frames() > 0, "live capture recorded no frames; nothing written");
  encoder_->finish();
  file_->commit();
}

std::string LiveCapture::status() const {
  return "captured " + std::to_string(frames_) + " frames to " + path_.string();
}

}  // namespace lw::stage
