// The viewer's Record control: the walk as it is set now, saved as a preset beside the video and
// rendered by `record`'s own code (the headless frame loop, frame exact) on a background thread,
// so the window keeps playing. Its progress and outcome are read each frame for the panel.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <string>
#include <thread>

#include "app/view_loop.hpp"

namespace lw::app {

class BackgroundRecord {
 public:
  // `options` describe a headless recording (preset, video, frames, size); starts at once.
  explicit BackgroundRecord(ViewOptions options);
  ~BackgroundRecord();  // stops a recording still running; its partial video is removed
  BackgroundRecord(const BackgroundRecord&) = delete;
  BackgroundRecord& operator=(const BackgroundRecord&) = delete;

  bool running() const { return !finished_.load(); }
  std::string status() const;  // progress, where the video went, or why it failed

 private:
  ViewOptions options_;
  std::atomic<bool> interrupt_{false}, finished_{false};
  std::atomic<std::int64_t> frames_done_{0};
  mutable std::mutex mutex_;
  std::string outcome_;
  std::thread thread_;
};

}  // namespace lw::app
