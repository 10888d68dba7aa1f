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

TEST(DeferredDeleter, FreesOnlyAfterTheNextSubmittedFrameHasFinished) {
  int destroyed = 0;
  DeferredDeleter deleter(2);
  deleter.retire_value(Tracked(&destroyed));  // frames already submitted may use it
  deleter.collect(0);                         // no frame submitted since: it must stay
  deleter.collect(1);
  EXPECT_EQ(destroyed, 0);
  deleter.commit(0);   // frame submitted in slot 0
  deleter.collect(1);  // slot 1's fence says nothing about that frame
  EXPECT_EQ(destroyed, 0);
  EXPECT_EQ(deleter.pending(), 1u);
  deleter.collect(0);  // slot 0's fence waited: the frame, and every earlier one, finished
  EXPECT_EQ(destroyed, 1);
  EXPECT_EQ(deleter.pending(), 0u);
}

TEST(DeferredDeleter, CollectAllAndDestructionFreeEverything) {
  int destroyed = 0;
  {
    DeferredDeleter deleter(3);
    for (int s = 0; s < 3; ++s) {
      deleter.retire_value(Tracked(&destroyed));
      deleter.commit(s);
    }
    deleter.retire(nullptr);  // nothing to keep: ignored
    deleter.retire_value(Tracked(&destroyed));  // not committed yet
    EXPECT_EQ(deleter.pending(), 4u);
    deleter.collect_all();
    EXPECT_EQ(destroyed, 4);
    deleter.retire_value(Tracked(&destroyed));
  }
  EXPECT_EQ(destroyed, 5);
}

}  // namespace
}  // namespace lw::renderer
