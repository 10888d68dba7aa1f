// Counts the LibTorch operators (and TorchScript functions) run on the thread that made it, with
// an ATen thread-local observer: how `view --json` shows that the render thread makes no torch
// call. Make, read and destroy it on one thread.
#pragma once

#include <cstdint>
#include <memory>

namespace lw::stage {

class TorchCallCounter {
 public:
  TorchCallCounter();
  ~TorchCallCounter();
  TorchCallCounter(const TorchCallCounter&) = delete;
  TorchCallCounter& operator=(const TorchCallCounter&) = delete;

  // Operators run on this thread since construction.
  std::uint64_t calls() const;

 private:
  std::uint64_t handle_ = 0;
  std::uint64_t start_ = 0;
};

}  // namespace lw::stage
