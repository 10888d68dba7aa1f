// A terminal progress bar for long work: done/total, rate and ETA on one line of stderr.
// Redraws at most a few times a second; when stderr is not a terminal it prints a plain line
// every few seconds instead, so logs of CI runs stay readable.
#pragma once

#include <chrono>
#include <cstdint>
#include <string>

namespace lw {

class ProgressBar {
 public:
  ProgressBar(std::string label, std::int64_t total, std::string unit = "it");
  ~ProgressBar();
  ProgressBar(const ProgressBar&) = delete;
  ProgressBar& operator=(const ProgressBar&) = delete;

  // Sets the absolute count (resumed work starts above zero) with an optional status text.
  void update(std::int64_t done, const std::string& status = {});
  void finish();

 private:
  void draw(bool final);

  std::string label_, unit_, status_;
  std::int64_t total_, done_ = 0, start_done_ = -1;
  std::chrono::steady_clock::time_point start_, last_draw_;
  bool tty_, finished_ = false;
};

}  // namespace lw
