// Ctrl-C and SIGTERM turned into a flag a frame loop polls: while a guard lives, the signals set
// flag() instead of ending the process (a recording then leaves nothing at its output; a headless
// view ends after the frame in flight). The previous handlers come back when it goes.
#pragma once

#include <atomic>

namespace lw::app {

class InterruptGuard {
 public:
  InterruptGuard();
  ~InterruptGuard();
  InterruptGuard(const InterruptGuard&) = delete;
  InterruptGuard& operator=(const InterruptGuard&) = delete;

  const std::atomic<bool>* flag() const;

 private:
  void (*int_)(int);
  void (*term_)(int);
};

}  // namespace lw::app
