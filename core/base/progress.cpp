#include "core/base/progress.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>

namespace lw {

namespace {
std::string format_duration(double seconds) {
  if (!(seconds >= 0) || seconds > 1e7) return "--:--";
  const auto s = static_cast<long>(seconds + 0.5);
  char buf[32];
  if (s >= 3600) std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  else std::snprintf(buf, sizeof buf, "%02ld:%02ld", s / 60, s % 60);
  return buf;
}
}  // namespace

ProgressBar::ProgressBar(std::string label, std::int64_t total, std::string unit)
    : label_(std::move(label)), unit_(std::move(unit)), total_(std::max<std::int64_t>(total, 1)),
      start_(std::chrono::steady_clock::now()), last_draw_(start_), tty_(::isatty(STDERR_FILENO) != 0) {}

ProgressBar::~ProgressBar() {
  if (!finished_ && tty_) std::fputc('\n', stderr);
}

void ProgressBar::update(std::int64_t done, const std::string& status) {
  if (start_done_ < 0) start_done_ = done;
  done_ = std::min(done, total_);
  status_ = status;
  const auto now = std::chrono::steady_clock::now();
  const double since = std::chrono::duration<double>(now - last_draw_).count();
  if (since >= (tty_ ? 0.2 : 10.0)) {
    last_draw_ = now;
    draw(false);
  }
}

void ProgressBar::finish() {
  if (finished_) return;
  draw(true);
  finished_ = true;
}

void ProgressBar::draw(bool final) {
  const double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  const double rate = elapsed > 0 ? static_cast<double>(done_ - std::max<std::int64_t>(start_done_, 0)) / elapsed : 0.0;
  const double eta = rate > 0 ? static_cast<double>(total_ - done_) / rate : -1.0;
  const double frac = static_cast<double>(done_) / static_cast<double>(total_);
  constexpr int kWidth = 28;
  const int filled = static_cast<int>(frac * kWidth);
  std::string bar(static_cast<std::size_t>(filled), '#');
  bar.resize(kWidth, '.');
  std::fprintf(stderr, "%s%s [%s] %3d%% %lld/%lld %.1f %s/s elapsed %s eta %s %s%s", tty_ ? "\r\033[K" : "",
               label_.c_str(), bar.c_str(), static_cast<int>(frac * 100.0), static_cast<long long>(done_),
               static_cast<long long>(total_), rate, unit_.c_str(), format_duration(elapsed).c_str(),
               format_duration(final ? 0.0 : eta).c_str(), status_.c_str(), (final || !tty_) ? "\n" : "");
  std::fflush(stderr);
}

}  // namespace lw
