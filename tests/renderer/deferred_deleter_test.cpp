#include <gtest/gtest.h>

#include <memory>

#include "renderer/deferred_deleter.hpp"

namespace lw::renderer {
namespace {

// Counts destructions, standing in for a Vulkan object a frame in flight may use.
struct Tracked {
  int* destroyed;
  explicit Tracked(int* d) : destroyed(d) {}
  Tracked(Tracked&& o) noexcept : destroyed(std::exchange(o.destroyed, nullptr)) {}
  ~Tracked() {
    if (destroyed) ++*destroyed;
  }
};

TEST(DeferredDeleter, FreesOnlyWhenTheRetiringSlotComesRoundAgain) {
  int destroyed = 0;
  DeferredDeleter deleter(2);
  deleter.begin_slot(0);
  deleter.retire_value(Tracked(&destroyed));  // retired while frame 0 (slot 0) records
  EXPECT_EQ(destroyed, 0);
  deleter.collect(1);  // frame 1 begins: slot 1's fence says nothing about frame 0
  deleter.begin_slot(1);
  EXPECT_EQ(destroyed, 0);
  EXPECT_EQ(deleter.pending(), 1u);
  deleter.collect(0);  // frame 2 begins after waiting for frame 0's fence
  EXPECT_EQ(destroyed, 1);
  EXPECT_EQ(deleter.pending(), 0u);
}

TEST(DeferredDeleter, CollectAllAndDestructionFreeEverything) {
  int destroyed = 0;
  {
    DeferredDeleter deleter(3);
    for (int s = 0; s < 3; ++s) {
      deleter.begin_slot(s);
      deleter.retire_value(Tracked(&destroyed));
    }
    deleter.retire(nullptr);  // nothing to keep: ignored
    EXPECT_EQ(deleter.pending(), 3u);
    deleter.collect_all();
    EXPECT_EQ(destroyed, 3);
    deleter.retire_value(Tracked(&destroyed));
  }
  EXPECT_EQ(destroyed, 4);
}

}  // namespace
}  // namespace lw::renderer
