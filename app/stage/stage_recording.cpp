// The stage's own recordings, asked for by commands: a screenshot of the next frame, live
// capture of the frames as presented, and a background recording of the walks as set now.
#include <cmath>
#include <ctime>

#include "app/stage/background_record.hpp"
#include "app/stage/frame_outputs.hpp"
#ifdef LW_HAVE_VIDEO
#include "app/stage/live_capture.hpp"
#endif
#include "app/stage/stage.hpp"
#include "core/base/check.hpp"

namespace lw::stage {
namespace fs = std::filesystem;

std::string recording_timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &local);
  return buf;
}

void run_frames(Stage& stage, std::int64_t frames, Overlay* overlay, const std::atomic<bool>* interrupted,
                const std::function<void(std::int64_t)>& progress, const std::function<void()>& before_overlay,
                const std::atomic<bool>* stop) {
  for (std::int64_t k = 0; k < frames && !(stop && stop->load());) {
    LW_EXPECT(!(interrupted && interrupted->load()), "interrupted; nothing was written at the output");
    if (!stage.begin_frame()) continue;
    if (before_overlay) before_overlay();
    stage.end_frame(overlay);
    ++k;
    if (progress) progress(k);
  }
}

void Stage::recording_command(const Command& c) {
  const auto extent = frames_->extent();
  if (c.kind == Command::Kind::Screenshot) {
    if (!target_.readable()) {
      status_.capture_status = "screenshot failed: this window's images cannot be read back";
      return;
    }
    const fs::path path = c.text.empty() ? options_.recordings / ("latentwalk-shot-" + recording_timestamp() + ".png") : fs::path(c.text);
    owned_observers_.push_back(std::make_unique<Screenshot>(path, Screenshot::kNext));
    return;
  }
#ifdef LW_HAVE_VIDEO
  if (c.kind == Command::Kind::Capture && c.on && !capture_ && !target_.readable()) {
    status_.capture_status = "capture failed: this window's images cannot be read back";
  } else if (c.kind == Command::Kind::Capture && c.on && !capture_) {
    const fs::path path = c.text.empty() ? options_.recordings / ("latentwalk-capture-" + recording_timestamp() + ".mp4") : fs::path(c.text);
    try {
      auto capture = std::make_unique<LiveCapture>(path, static_cast<int>(extent.width), static_cast<int>(extent.height));
      capture_ = capture.get();
      owned_observers_.push_back(std::move(capture));
      status_.capture_status = "capturing to " + path.string();
      status_.capturing = true;
    } catch (const std::exception& e) {
      status_.capture_status = std::string("capture failed: ") + e.what();
    }
  } else if (c.kind == Command::Kind::Capture && !c.on && capture_) {
    frames_->finish();  // the frames in flight reach the capture first
    try {
      capture_->finish();
      status_.capture_status = capture_->status();
    } catch (const std::exception& e) {
      status_.capture_status = std::string("capture failed: ") + e.what();
    }
    std::erase_if(owned_observers_, [&](const auto& o) { return o.get() == capture_; });
    capture_ = nullptr;
    status_.capturing = false;
  } else if (c.kind == Command::Kind::Record && !(background_ && background_->running())) {
    const std::string stem = "latentwalk-" + recording_timestamp();
    RecordSettings r;
    r.video = options_.recordings / (stem + ".mp4");
    const Preset preset = current_preset();
    r.fps = preset.fps;
    r.frames = std::max<std::int64_t>(1, std::llround(preset.duration * preset.fps));
    r.width = static_cast<int>(extent.width) & ~1;
    r.height = static_cast<int>(extent.height) & ~1;
    r.threads = std::max(1, threads_ / 2);  // the window keeps generating beside it
    r.generator_device = options_.generator_device;
    r.sink = options_.sink;
    // The walks recorded are saved beside the video, so it can be rendered again.
    command({Command::Kind::SavePreset, (options_.recordings / (stem + ".json")).string()});
    try {
      background_ = std::make_unique<BackgroundRecord>(context_, preset, model_, r, options_.labels);
    } catch (const std::exception& e) {
      status_.record_status = std::string("recording failed: ") + e.what();
    }
  }
#else
  (void)extent;
  if (c.kind != Command::Kind::Screenshot) status_.record_status = "recording needs the FFmpeg build";
#endif
}

void Stage::update_recordings() {
  for (auto& o : owned_observers_)
    if (auto* shot = dynamic_cast<Screenshot*>(o.get()); shot && shot->done()) status_.capture_status = "screenshot: " + shot->path().string();
  std::erase_if(owned_observers_, [](const auto& o) {
    const auto* shot = dynamic_cast<const Screenshot*>(o.get());
    return shot && shot->done();
  });
  if (background_) {
    status_.record_status = background_->status();
    status_.recording = background_->running();
  }
}

}  // namespace lw::stage
