#include "gui/control/osc_sender.hpp"

#include <lo/lo.h>

#include "core/base/check.hpp"

namespace lw::control {

OscSender::OscSender(const std::string& target) : target_(target), queue_(std::make_unique<SpscQueue<Out, 4096>>()) {
  const auto colon = target.rfind(':');
  LW_EXPECT(colon != std::string::npos && colon > 0 && colon + 1 < target.size(),
            "--osc-send expects HOST:PORT, for example 127.0.0.1:9001, got \"" << target << "\"");
  const std::string host = target.substr(0, colon), port = target.substr(colon + 1);
  LW_EXPECT(port.size() <= 5 && port.find_first_not_of("0123456789") == std::string::npos && std::stoi(port) > 0 && std::stoi(port) <= 65535,
            "--osc-send: the port must be between 1 and 65535, got \"" << port << "\"");
  address_ = lo_address_new(host.c_str(), port.c_str());
  LW_EXPECT(address_ != nullptr, "--osc-send: cannot address " << target);
  thread_ = std::thread([this] { run(); });
}

OscSender::~OscSender() {
  stop_.store(true);
  posted_.fetch_add(1);
  posted_.notify_one();
  if (thread_.joinable()) thread_.join();
  if (address_) lo_address_free(static_cast<lo_address>(address_));
}

void OscSender::send(std::string address, double value) {
  if (!queue_->push({std::move(address), value})) {
    dropped_.fetch_add(1, std::memory_order_relaxed);
    return;
  }
  posted_.fetch_add(1, std::memory_order_release);
  posted_.notify_one();
}

void OscSender::run() {
  const auto to = static_cast<lo_address>(address_);
  while (!stop_.load()) {
    const std::uint64_t seen = posted_.load(std::memory_order_acquire);
    while (auto out = queue_->pop()) {
      // UDP: a receiver that is not there costs nothing; liblo reports the error, we count it.
      if (lo_send(to, out->address.c_str(), "f", static_cast<float>(out->value)) >= 0)
        sent_.fetch_add(1, std::memory_order_relaxed);
      else
        dropped_.fetch_add(1, std::memory_order_relaxed);
    }
    posted_.wait(seen, std::memory_order_acquire);
  }
}

}  // namespace lw::control
