#include "app/interrupt_guard.hpp"

#include <csignal>

namespace lw::app {
namespace {
std::atomic<bool> g_interrupted{false};
extern "C" void on_interrupt(int) { g_interrupted.store(true); }
}  // namespace

InterruptGuard::InterruptGuard() {
  g_interrupted.store(false);
  int_ = std::signal(SIGINT, on_interrupt);
  term_ = std::signal(SIGTERM, on_interrupt);
}

InterruptGuard::~InterruptGuard() {
  std::signal(SIGINT, int_);
  std::signal(SIGTERM, term_);
}

const std::atomic<bool>* InterruptGuard::flag() const { return &g_interrupted; }

}  // namespace lw::app
