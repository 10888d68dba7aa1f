// Ctrl-C and SIGTERM turned into a flag a frame loop polls: while a guard lives, the first signal
// sets flag() instead of ending the process (a recording then leaves nothing at its output; a
// headless view ends after the frame in flight); a second one ends it. The previous handlers
// come back when the guard goes.
#pragma once

#include <signal.h>

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
  struct sigaction int_ {}, term_ {};
};

}  // namespace lw::app
