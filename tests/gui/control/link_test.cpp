// Ableton Link with two peers in one test: a tempo set by one is the other's.
#include "gui/control/link_session.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <thread>

namespace lw::control {
namespace {

TEST(LinkSession, TwoPeersAgreeOnTheTempo) {
  LinkSession a(120.0), b(120.0);
  const auto until = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while ((a.peers() == 0 || b.peers() == 0) && std::chrono::steady_clock::now() < until)
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  if (a.peers() == 0) GTEST_SKIP() << "the two peers did not find each other in 30 s: no interface here carries Link's multicast";
  a.set_tempo(133.0);
  const auto later = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::abs(b.tempo() - 133.0) > 1e-3 && std::chrono::steady_clock::now() < later)
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  EXPECT_NEAR(b.tempo(), 133.0, 1e-3);  // Link keeps microseconds per beat
  EXPECT_NEAR(std::fmod(a.beat() - b.beat() + 0.5, 1.0), 0.5, 0.02) << "their beats are in phase";
}

}  // namespace
}  // namespace lw::control
