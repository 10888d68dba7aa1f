#include "app/stage/frame_outputs.hpp"

#include <cstdio>

#include "app/stage/frame_writer.hpp"
#include "core/base/atomic_file.hpp"
#include "core/image.hpp"
#ifdef LW_HAVE_VIDEO
#include "core/base/check.hpp"
#include "renderer/video_encoder.hpp"
#endif

namespace lw::stage {
namespace fs = std::filesystem;

namespace {
FrameWriter::Frame frame_of(FrameWriter& writer, const renderer::ReadbackImage& image) {
  auto pixels = writer.take_buffer();
  pixels.assign(image.pixels, image.pixels + static_cast<std::size_t>(image.width) * image.height * 4);
  return {{}, -1, static_cast<int>(image.width), static_cast<int>(image.height), image.bgr, std::move(pixels)};
}
}  // namespace

PngSequence::PngSequence(fs::path folder, int width, int height) : folder_(std::move(folder)) {
  make_output_folder(folder_);
  // Up to 512 MB of frames may wait for the writer before the loop has to wait for it.
  writer_ = std::make_unique<FrameWriter>(FrameWriter::depth_for(512, width, height));
}

PngSequence::~PngSequence() = default;

void PngSequence::on_frame(std::uint64_t index, const renderer::ReadbackImage& image) {
  char name[32];
  std::snprintf(name, sizeof name, "frame_%04llu.png", static_cast<unsigned long long>(index));
  auto frame = frame_of(*writer_, image);
  frame.path = folder_ / name;
  writer_->queue(std::move(frame));
}

void PngSequence::finish() { writer_->drain(); }

std::size_t PngSequence::written() const { return writer_->written(); }

void Screenshot::on_frame(std::uint64_t, const renderer::ReadbackImage& image) {
  done_ = true;
  write_png_rgbx(path_, static_cast<int>(image.width), static_cast<int>(image.height), image.pixels, image.bgr);
}

#ifdef LW_HAVE_VIDEO
VideoOutput::VideoOutput(const fs::path& path, int width, int height, double fps, int crf, const std::string& speed,
                         std::shared_ptr<const renderer::AudioTrack> sound) {
  file_ = std::make_unique<AtomicFile>(path);
  const renderer::FrameRate rate = renderer::frame_rate_of(fps);
  encoder_ = std::make_unique<renderer::VideoEncoder>(
      file_->temp_path(), renderer::VideoSettings{width, height, rate.num, crf, speed, renderer::video_container_for(path),
                                                  std::move(sound), rate.den});
  writer_ = std::make_unique<FrameWriter>(
      FrameWriter::depth_for(256, width, height),
      [&enc = *encoder_](const FrameWriter::Frame& f) { enc.add(f.pixels.data(), f.bgr); }, false);
}

VideoOutput::~VideoOutput() {
  writer_.reset();  // the encoder's thread stops before the encoder goes; the file is removed
}

void VideoOutput::on_frame(std::uint64_t, const renderer::ReadbackImage& image) {
  writer_->queue(frame_of(*writer_, image));
  ++offered_;
}

void VideoOutput::finish() {
  writer_->drain();
  waited_s_ = writer_->blocked_seconds();
  writer_.reset();
  LW_EXPECT(encoder_->frames() == offered_,
            "the video holds " << encoder_->frames() << " frames of " << offered_ << " rendered; not written");
  encoder_->finish();
  file_->commit();
}

#endif

}  // namespace lw::stage
