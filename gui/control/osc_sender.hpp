// OSC feedback: parameter values (and, next, audio features) sent to one host:port so that a
// controller's layout (TouchOSC, Open Stage Control) follows what the screen shows. The render
// thread only queues; a thread of its own sends.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "gui/control/spsc_queue.hpp"

namespace lw::control {

class OscSender {
 public:
  // "HOST:PORT" (a name or an IPv4 address). Throws lw::Error naming the text when it is not one.
  explicit OscSender(const std::string& target);
  ~OscSender();
  OscSender(const OscSender&) = delete;
  OscSender& operator=(const OscSender&) = delete;

  // Render thread: queues `address value` (one float); dropped and counted when the queue is full.
  void send(std::string address, double value);
  const std::string& target() const { return target_; }
  unsigned long long sent() const { return sent_.load(); }
  unsigned long long dropped() const { return dropped_.load(); }

 private:
  struct Out {
    std::string address;
    double value = 0.0;
  };
  void run();

  std::string target_;
  void* address_ = nullptr;  // lo_address
  std::unique_ptr<SpscQueue<Out, 4096>> queue_;
  std::atomic<std::uint64_t> posted_{0};  // grows with every send(); the thread waits on it
  std::atomic<bool> stop_{false};
  std::atomic<unsigned long long> sent_{0}, dropped_{0};
  std::thread thread_;
};

}  // namespace lw::control
