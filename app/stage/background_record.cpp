#include "app/stage/background_record.hpp"

#include <exception>

#include "app/stage/frame_outputs.hpp"
#include "renderer/offscreen_target.hpp"

namespace lw::stage {

BackgroundRecord::BackgroundRecord(renderer::Context& context, Preset preset, std::shared_ptr<const plugin::Model> model,
                                   RecordSettings settings,
                                   std::function<std::unique_ptr<Overlay>(const renderer::Context&, VkRenderPass, int)> labels)
    : settings_(std::move(settings)) {
  thread_ = std::thread([this, &context, p = std::move(preset), m = std::move(model), l = std::move(labels)]() mutable {
    run(context, std::move(p), std::move(m), std::move(l));
  });
}

BackgroundRecord::~BackgroundRecord() {
  interrupt_.store(true);
  thread_.join();
}

void BackgroundRecord::run(renderer::Context& context, Preset preset, std::shared_ptr<const plugin::Model> model,
                           std::function<std::unique_ptr<Overlay>(const renderer::Context&, VkRenderPass, int)> labels) {
  std::string outcome;
  try {
#ifdef LW_HAVE_VIDEO
    renderer::OffscreenTarget target(context.vulkan_device(), static_cast<std::uint32_t>(settings_.width),
                                     static_cast<std::uint32_t>(settings_.height), 2);
    StageOptions o;
    o.preset = std::move(preset);
    o.pacing = Pacing::Content;
    o.fps = settings_.fps;
    o.frames = settings_.frames;
    o.threads = settings_.threads;
    o.generator_device = settings_.generator_device;
    o.sink = settings_.sink;
    Stage stage(context, target, o, std::move(model));  // the window's model: no second load
    std::unique_ptr<Overlay> overlay = labels ? labels(context, stage.render_pass(), stage.frames_in_flight()) : nullptr;
    VideoOutput video(settings_.video, settings_.width, settings_.height, settings_.fps, 18,
                      "veryfast");
    // Whatever ends the recording, frames finish before the overlay and the video go.
    struct Abandon {
      Stage& stage;
      ~Abandon() { stage.abandon(); }
    } abandon{stage};
    stage.warm_up(overlay.get());
    stage.add_observer(&video);
    run_frames(stage, settings_.frames, overlay.get(), &interrupt_, [&](std::int64_t done) { frames_done_.store(done); });
    stage.finish();
    video.finish();
    outcome = "recorded " + settings_.video.string() + " (" + std::to_string(settings_.frames) + " frames)";
#else
    (void)context, (void)preset, (void)model, (void)labels;
    outcome = "recording needs the FFmpeg build";
#endif
  } catch (const std::exception& e) {
    outcome = std::string("recording failed: ") + e.what();
  }
  {
    std::lock_guard lock(mutex_);
    outcome_ = outcome;
  }
  finished_.store(true);
}

std::string BackgroundRecord::status() const {
  if (finished_.load()) {
    std::lock_guard lock(mutex_);
    return outcome_;
  }
  return "recording " + settings_.video.filename().string() + ": " + std::to_string(frames_done_.load()) + " / " +
         std::to_string(settings_.frames) + " frames";
}

}  // namespace lw::stage
