// A bounded single-producer single-consumer queue: one input thread pushes, the render thread
// pops once per frame, neither ever waits or takes a lock. A full queue refuses the push (the
// producer counts the drop) instead of growing or blocking: a flood of packets costs the stage
// nothing but the packets it drops.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <new>
#include <optional>
#include <utility>

namespace lw::control {

template <typename T, std::size_t Capacity>
class SpscQueue {
  static_assert(Capacity >= 2 && (Capacity & (Capacity - 1)) == 0, "a power of two");

 public:
  // Producer thread only. False (and `item` untouched) when the queue is full.
  bool push(T&& item) {
    const std::size_t head = head_.load(std::memory_order_relaxed);
    if (head - tail_.load(std::memory_order_acquire) == Capacity) return false;
    slots_[head & (Capacity - 1)] = std::move(item);
    head_.store(head + 1, std::memory_order_release);
    return true;
  }
  // Consumer thread only.
  std::optional<T> pop() {
    const std::size_t tail = tail_.load(std::memory_order_relaxed);
    if (head_.load(std::memory_order_acquire) == tail) return std::nullopt;
    std::optional<T> out(std::move(slots_[tail & (Capacity - 1)]));
    tail_.store(tail + 1, std::memory_order_release);
    return out;
  }
  std::size_t size_approx() const { return head_.load(std::memory_order_acquire) - tail_.load(std::memory_order_acquire); }

 private:
  // Producer and consumer indices on their own cache lines: no false sharing between threads.
  alignas(64) std::atomic<std::size_t> head_{0};
  alignas(64) std::atomic<std::size_t> tail_{0};
  std::array<T, Capacity> slots_{};
};

}  // namespace lw::control
