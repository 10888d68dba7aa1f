#include "app/background_record.hpp"

#include <exception>

namespace lw::app {

BackgroundRecord::BackgroundRecord(ViewOptions options) : options_(std::move(options)) {
  options_.headless = true;
  options_.show_ui = false;
  options_.interrupted = &interrupt_;
  options_.frames_done = &frames_done_;
  thread_ = std::thread([this] {
    std::string outcome;
    try {
      const auto r = run_view(options_);
      outcome = "recorded " + options_.video->string() + " (" + std::to_string(r.frames) + " frames)";
    } catch (const std::exception& e) {
      outcome = std::string("recording failed: ") + e.what();
    }
    {
      std::lock_guard lock(mutex_);
      outcome_ = outcome;
    }
    finished_.store(true);
  });
}

BackgroundRecord::~BackgroundRecord() {
  interrupt_.store(true);
  thread_.join();
}

std::string BackgroundRecord::status() const {
  if (finished_.load()) {
    std::lock_guard lock(mutex_);
    return outcome_;
  }
  return "recording " + options_.video->filename().string() + ": " + std::to_string(frames_done_.load()) + " / " +
         std::to_string(options_.frames) + " frames";
}

}  // namespace lw::app
