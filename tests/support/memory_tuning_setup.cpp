// Every test executable tunes the allocator as latentwalk's main() does, before main runs:
// the LibTorch tests would otherwise spend most of their time in page faults.
#include "core/memory_tuning.hpp"

namespace {
const bool kTuned = [] {
  lw::keep_freed_memory_in_process();
  return true;
}();
}  // namespace
