// Each hand-off path driven as the renderer drives it: a known gradient through the sink's memory
// and image, and 1,000 frames each seeing its own write. The host path runs on lavapipe; the
// CUDA path (shared memory, the timeline semaphore's values) on an NVIDIA GPU: it skips without a
// CUDA device and fails, saying why, where a CUDA device is and the hand-off cannot start.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "interop/rgba8_convert.hpp"
#include "interop/sink_choice.hpp"
#include "renderer/context.hpp"
#include "tests/support/test_validation.hpp"
#include "renderer/handoff_probe.hpp"

namespace lw::renderer {
namespace {

class Handoff : public ::testing::TestWithParam<interop::SinkPreference> {
 protected:
  bool cuda() const { return GetParam() == interop::SinkPreference::Cuda; }
  void SetUp() override {
    const auto cuda_uuid = interop::cuda_device_uuid();
    if (cuda() && !cuda_uuid) GTEST_SKIP() << "no CUDA device here";
    ContextOptions o;
    o.validation = test::validate_vulkan();
    o.preferred_uuid = cuda_uuid;
    context_ = std::make_unique<Context>(o);
    // Where a CUDA device is, the hand-off must start: its failure (no NVIDIA Vulkan driver, an
    // import the driver refuses) fails the test with the reason instead of falling back quietly.
    const auto r = sink_request(*context_, 2, cuda() ? interop::SinkPreference::Cuda : interop::SinkPreference::Host);
    sink_ = interop::choose_sink(r).sink;
  }

  std::unique_ptr<Context> context_;
  std::unique_ptr<interop::FrameSink> sink_;
};

TEST_P(Handoff, AGradientCrossesTheSinksImageExactlyAsTheHostPathConvertsIt) {
  constexpr int kH = 48, kW = 80;
  std::vector<float> batch(3 * kH * kW);
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < kH; ++y)
      for (int x = 0; x < kW; ++x)
        batch[(static_cast<std::size_t>(c) * kH + y) * kW + x] = -1.1f + 2.2f * static_cast<float>((x + 3 * y + 17 * c) % 97) / 96.f;
  const interop::ImageView view{batch.data(), 1, kH, kW, -1.f, 1.f};
  std::vector<std::uint8_t> expected(static_cast<std::size_t>(kH) * kW * 4);
  interop::convert_to_rgba8(view, 0, expected, static_cast<std::size_t>(kW) * 4);
  (void)sink_->configure(1, kH, kW);
  HandoffProbe harness(*context_, *sink_);
  sink_->write(view, 1);
  EXPECT_EQ(sink_->host_copies_last_write(), 1) << "a host batch crosses host memory once on either path";
  harness.upload(1, true);
  EXPECT_EQ(std::memcmp(harness.pixels(), expected.data(), expected.size()), 0);
  vkDeviceWaitIdle(context_->device());
  EXPECT_EQ(context_->validation_errors() + context_->validation_warnings(), 0);
}

TEST_P(Handoff, EveryFrameOfAThousandSeesItsOwnWriteAndValuesOnlyGrow) {
  constexpr int kH = 16, kW = 16;
  (void)sink_->configure(1, kH, kW);
  HandoffProbe harness(*context_, *sink_);
  std::vector<float> batch(3 * kH * kW);
  std::uint64_t last = 0;
  int wrong = 0;
  for (int frame = 0; frame < 1000; ++frame) {
    const int grey = frame % 256;
    std::fill(batch.begin(), batch.end(), grey / 255.f * 2.f - 1.f);
    const int slot = frame % 2;
    sink_->write(interop::ImageView{batch.data(), 1, kH, kW, -1.f, 1.f}, slot);
    if (cuda()) {
      const interop::FrameWait wait = sink_->frame_wait(slot);
      ASSERT_NE(wait.semaphore, VK_NULL_HANDLE);
      ASSERT_EQ(wait.value, last + 1) << "frame " << frame;
      last = wait.value;
    }
    harness.upload(slot, true);
    // The copy waited for this frame's value: it sees this frame's grey, never an older one.
    wrong += harness.pixels()[(5 * kW + 7) * 4] != grey;
  }
  EXPECT_EQ(wrong, 0) << "frames whose upload read another frame's write";
  vkDeviceWaitIdle(context_->device());
  EXPECT_EQ(context_->validation_errors() + context_->validation_warnings(), 0);
}

INSTANTIATE_TEST_SUITE_P(Sinks, Handoff, ::testing::Values(interop::SinkPreference::Host, interop::SinkPreference::Cuda),
                         [](const auto& info) { return info.param == interop::SinkPreference::Host ? "HostStaging" : "CudaShared"; });

}  // namespace
}  // namespace lw::renderer
