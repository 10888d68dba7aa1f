// The viewer's Record control: the walks as they are set now rendered to a video by a second,
// content-paced stage on a background thread (frame exact, like `record`), sharing the window's
// Vulkan device and loaded model, so the window keeps playing. Its progress and outcome are read
// each frame for the panel.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "app/stage/stage.hpp"

namespace lw::stage {

struct RecordSettings {
  std::filesystem::path video;
  int width = 1280, height = 720;  // even
  double fps = 30.0;
  std::int64_t frames = 1;
  int threads = 0;
  std::string generator_device = "auto";  // the window's choices, so both run the model alike
  interop::SinkPreference sink = interop::SinkPreference::Auto;
};

class BackgroundRecord {
 public:
  // Starts at once. `labels`: the tiles' labels over each frame, as `record` draws them.
  BackgroundRecord(renderer::Context& context, Preset preset, std::shared_ptr<const plugin::Model> model,
                   RecordSettings settings, std::function<std::unique_ptr<Overlay>(const renderer::Context&, VkRenderPass, int)> labels);
  ~BackgroundRecord();  // stops a recording still running; its partial video is removed
  BackgroundRecord(const BackgroundRecord&) = delete;
  BackgroundRecord& operator=(const BackgroundRecord&) = delete;

  bool running() const { return !finished_.load(); }
  std::string status() const;  // progress, where the video went, or why it failed

 private:
  void run(renderer::Context& context, Preset preset, std::shared_ptr<const plugin::Model> model,
           std::function<std::unique_ptr<Overlay>(const renderer::Context&, VkRenderPass, int)> labels);

  RecordSettings settings_;
  std::atomic<bool> interrupt_{false}, finished_{false};
  std::atomic<std::int64_t> frames_done_{0};
  mutable std::mutex mutex_;
  std::string outcome_;
  std::thread thread_;
};

}  // namespace lw::stage
