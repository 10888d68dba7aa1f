#include "app/interrupt_guard.hpp"

#include <signal.h>

namespace lw::app {
namespace {
std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) { g_interrupted.store(true); }
}  // namespace

// The first signal sets the flag; the handler then resets itself (SA_RESETHAND), so a second
// Ctrl-C ends a process that does not stop in time.
InterruptGuard::InterruptGuard() {
  g_interrupted.store(false);
  struct sigaction once {};
  once.sa_handler = on_interrupt;
  sigemptyset(&once.sa_mask);
  once.sa_flags = SA_RESETHAND;
  sigaction(SIGINT, &once, &int_);
  sigaction(SIGTERM, &once, &term_);
}

InterruptGuard::~InterruptGuard() {
  sigaction(SIGINT, &int_, nullptr);
  sigaction(SIGTERM, &term_, nullptr);
}

const std::atomic<bool>* InterruptGuard::flag() const { return &g_interrupted; }

}  // namespace lw::app
