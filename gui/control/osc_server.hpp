// The OSC input: a UDP socket of its own, bound to loopback by default, read on its own thread;
// liblo decodes each message (a bundle's elements too) and the decoded messages wait in a
// lock-free queue for the stage, which drains it once per frame. A malformed datagram is dropped
// and counted; a full queue drops and counts; nothing here ever blocks the render thread.
#pragma once

#include <atomic>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>

#include "gui/control/osc_message.hpp"
#include "gui/control/spsc_queue.hpp"

namespace lw::control {

class OscServer {
 public:
  static constexpr std::size_t kQueueCapacity = 8192;
  using Queue = SpscQueue<OscMessage, kQueueCapacity>;

  // Listens on `bind_address` ("127.0.0.1": this machine only; "0.0.0.0": every interface) and
  // `port` (0: one the system picks, see port()). Throws lw::Error naming the address when the
  // socket cannot be bound (a port in use, an address not of this machine).
  OscServer(const std::string& bind_address, int port);
  ~OscServer();  // stops the thread and closes the socket
  OscServer(const OscServer&) = delete;
  OscServer& operator=(const OscServer&) = delete;

  int port() const { return port_; }
  const std::string& bind_address() const { return bind_address_; }
  bool loopback_only() const;
  // The render thread's end of the queue.
  Queue& queue() { return *queue_; }
  OscCounters counters() const;

 private:
  void run();
  void decode(const char* data, std::size_t size);

  std::string bind_address_;
  int port_ = 0;
  int socket_ = -1;
  int wake_[2] = {-1, -1};  // a pipe: writing to it ends the thread's poll
  std::unique_ptr<Queue> queue_;
  std::atomic<unsigned long long> packets_{0}, messages_{0}, malformed_{0}, queue_full_{0};
  std::thread thread_;
};

// Decodes one OSC message (not a bundle) with liblo; nullopt when the bytes are not one.
std::optional<OscMessage> decode_osc_message(const char* data, std::size_t size);
// Decodes one datagram (a message, or a bundle of messages and bundles nested at most a few
// deep) and hands each message to `on_message`; returns how many parts were malformed.
std::size_t decode_osc_datagram(const char* data, std::size_t size, const std::function<void(OscMessage&&)>& on_message,
                                int depth = 0);

}  // namespace lw::control
