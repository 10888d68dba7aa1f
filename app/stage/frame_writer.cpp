#include "app/stage/frame_writer.hpp"

#include <pthread.h>
#include <sched.h>

#include <algorithm>
#include <chrono>

#include "core/base/check.hpp"

namespace lw::stage {

FrameWriter::Write FrameWriter::png_files() {
  return [](const Frame& f) { write_png_rgbx(f.path, f.width, f.height, f.pixels.data(), f.bgr, PngCompression::Fast); };
}

std::size_t FrameWriter::depth_for(std::size_t megabytes, int width, int height) {
  return std::max<std::size_t>(4, (megabytes << 20) / (static_cast<std::size_t>(width) * height * 4));
}

FrameWriter::FrameWriter(std::size_t depth, Write write, bool idle_priority)
    : depth_(depth), write_(std::move(write)), idle_(idle_priority), thread_([this] { run(); }) {}

FrameWriter::~FrameWriter() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  cv_.notify_all();
  thread_.join();
}

std::vector<std::uint8_t> FrameWriter::take_buffer() {
  std::lock_guard lock(mutex_);
  if (free_.empty()) return {};
  auto buffer = std::move(free_.back());
  free_.pop_back();
  return buffer;
}

void FrameWriter::queue(Frame frame) {
  std::unique_lock lock(mutex_);
  if (jobs_.size() >= depth_) {
    const auto start = std::chrono::steady_clock::now();
    cv_.wait(lock, [&] { return jobs_.size() < depth_ || !error_.empty(); });
    blocked_s_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  }
  LW_EXPECT(error_.empty(), error_);
  jobs_.push_back(std::move(frame));
  lock.unlock();
  cv_.notify_all();
}

void FrameWriter::drain() {
  std::unique_lock lock(mutex_);
  cv_.wait(lock, [&] { return (jobs_.empty() && !busy_) || !error_.empty(); });
  LW_EXPECT(error_.empty(), error_);
}

double FrameWriter::blocked_seconds() const {
  std::lock_guard lock(mutex_);
  return blocked_s_;
}

std::size_t FrameWriter::written() const {
  std::lock_guard lock(mutex_);
  return written_;
}

void FrameWriter::run() {
  // PNG frames are written in idle time only (Linux SCHED_IDLE): on a machine with few cores the
  // generator and the render loop keep their pace and the files catch up from the queue. A
  // video encoder runs at normal priority: it must keep up for the video to finish on time.
  if (idle_) {
    sched_param idle{};
    pthread_setschedparam(pthread_self(), SCHED_IDLE, &idle);
  }
  std::unique_lock lock(mutex_);
  for (;;) {
    cv_.wait(lock, [&] { return stop_ || !jobs_.empty(); });
    if (jobs_.empty()) return;  // stopping, nothing left
    Frame job = std::move(jobs_.front());
    jobs_.pop_front();
    busy_ = true;
    lock.unlock();
    cv_.notify_all();
    std::string failure;
    try {
      write_(job);
    } catch (const std::exception& e) {
      failure = e.what();
    }
    lock.lock();
    busy_ = false;
    if (failure.empty()) ++written_;
    else if (error_.empty()) error_ = failure;
    free_.push_back(std::move(job.pixels));
    cv_.notify_all();
  }
}

}  // namespace lw::stage
