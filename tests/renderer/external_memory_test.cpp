// The Vulkan half of the CUDA path on lavapipe: memory and a timeline semaphore exported by one
// VkDevice and imported by another (as CUDA imports them) carry pixels and ordering between the
// two, validation on and failing the test on any message.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "interop/external_memory.hpp"
#include "interop/vk_check.hpp"
#include "renderer/context.hpp"
#include "tests/support/test_validation.hpp"

namespace lw::renderer {
namespace {

using interop::BufferAllocation;

ContextOptions validated() {
  ContextOptions o;
  o.validation = test::validate_vulkan();
  return o;
}

// One command buffer on a context's queue, submitted with timeline waits and signals.
class Submitter {
 public:
  explicit Submitter(const Context& c)
      : c_(c), commands_(interop::create_command_buffer(c.device(), c.queue_family(), 0)), cmd_(commands_.cmd) {}

  // Copies `from` into `to` once `wait` reaches `wait_value`, then sets `signal` to `signal_value`.
  void copy(VkBuffer from, VkBuffer to, VkDeviceSize size, VkSemaphore wait, std::uint64_t wait_value, VkSemaphore signal,
            std::uint64_t signal_value) {
    VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
    begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
    LW_VK_CHECK(vkBeginCommandBuffer(cmd_, &begin));
    const VkBufferCopy region{0, 0, size};
    vkCmdCopyBuffer(cmd_, from, to, 1, &region);
    VkMemoryBarrier host{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    host.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    host.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
    vkCmdPipelineBarrier(cmd_, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &host, 0, nullptr, 0, nullptr);
    LW_VK_CHECK(vkEndCommandBuffer(cmd_));
    VkTimelineSemaphoreSubmitInfo values{VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
    values.waitSemaphoreValueCount = wait ? 1 : 0;
    values.pWaitSemaphoreValues = &wait_value;
    values.signalSemaphoreValueCount = 1;
    values.pSignalSemaphoreValues = &signal_value;
    const VkPipelineStageFlags stage = VK_PIPELINE_STAGE_TRANSFER_BIT;
    VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
    submit.pNext = &values;
    submit.waitSemaphoreCount = wait ? 1 : 0;
    submit.pWaitSemaphores = &wait;
    submit.pWaitDstStageMask = &stage;
    submit.commandBufferCount = 1;
    submit.pCommandBuffers = &cmd_;
    submit.signalSemaphoreCount = 1;
    submit.pSignalSemaphores = &signal;
    LW_VK_CHECK(vkQueueSubmit(c_.queue(), 1, &submit, VK_NULL_HANDLE));
  }

 private:
  const Context& c_;
  interop::CommandBufferPool commands_;
  VkCommandBuffer cmd_ = VK_NULL_HANDLE;
};

void host_signal(VkDevice device, VkSemaphore semaphore, std::uint64_t value) {
  VkSemaphoreSignalInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_SIGNAL_INFO};
  info.semaphore = semaphore;
  info.value = value;
  LW_VK_CHECK(vkSignalSemaphore(device, &info));
}

constexpr int kWidth = 64, kHeight = 32;
constexpr VkDeviceSize kBytes = kWidth * kHeight * 4;
constexpr VkBufferUsageFlags kUsage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;

std::vector<std::uint8_t> gradient() {
  std::vector<std::uint8_t> g(kBytes);
  for (int y = 0; y < kHeight; ++y)
    for (int x = 0; x < kWidth; ++x) {
      std::uint8_t* p = g.data() + (static_cast<std::size_t>(y) * kWidth + x) * 4;
      p[0] = static_cast<std::uint8_t>(x * 4), p[1] = static_cast<std::uint8_t>(y * 8), p[2] = static_cast<std::uint8_t>(x ^ y), p[3] = 255;
    }
  return g;
}

TEST(ExternalMemory, PixelsCrossFromOneDeviceToAnother) {
  Context exporter(validated()), importer(validated());
  ASSERT_TRUE(exporter.external_memory()) << exporter.external_interop_unsupported();
  ASSERT_TRUE(exporter.timeline_semaphores());
  const auto pixels = gradient();

  // The gradient into the exporter's shareable memory, written by its queue, which signals a
  // timeline value when done (as CUDA signals after its write).
  BufferAllocation shared = interop::create_exportable_buffer(exporter.vulkan_device(), kBytes, kUsage);
  BufferAllocation upload = interop::create_buffer(exporter.vulkan_device(), kBytes, VK_BUFFER_USAGE_TRANSFER_SRC_BIT, true);
  std::memcpy(upload.mapped, pixels.data(), kBytes);
  interop::Semaphore written = interop::create_timeline(exporter.device(), 0);
  Submitter exporter_queue(exporter);
  exporter_queue.copy(upload.buffer.get(), shared.buffer.get(), kBytes, VK_NULL_HANDLE, 0, written.get(), 1);
  ASSERT_TRUE(interop::wait_timeline(exporter.device(), written.get(), 1, 5'000'000'000ull));

  // The importer's view of the same memory, read back through its own queue.
  BufferAllocation imported = interop::import_buffer(importer.vulkan_device(), kBytes, kUsage,
                                                     interop::export_memory_fd(exporter.device(), shared.memory.get()));
  BufferAllocation readback = interop::create_buffer(importer.vulkan_device(), kBytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT, true);
  std::memset(readback.mapped, 0, kBytes);
  interop::Semaphore done = interop::create_timeline(importer.device(), 0);
  Submitter importer_queue(importer);
  importer_queue.copy(imported.buffer.get(), readback.buffer.get(), kBytes, VK_NULL_HANDLE, 0, done.get(), 1);
  ASSERT_TRUE(interop::wait_timeline(importer.device(), done.get(), 1, 5'000'000'000ull));
  EXPECT_EQ(std::memcmp(readback.mapped, pixels.data(), kBytes), 0) << "the pixels differ after crossing devices";

  vkDeviceWaitIdle(importer.device());
  vkDeviceWaitIdle(exporter.device());
  EXPECT_EQ(exporter.validation_errors() + exporter.validation_warnings(), 0);
  EXPECT_EQ(importer.validation_errors() + importer.validation_warnings(), 0);
}

TEST(ExternalMemory, TimelineValuesOrderAFrameAfterTheWriteItWaitsFor) {
  // Within one device: a submit waiting for value 5 runs only once 5 is signalled, and its own
  // signal (6) follows; values only grow.
  Context c(validated());
  ASSERT_TRUE(c.timeline_semaphores());
  const auto pixels = gradient();
  BufferAllocation from = interop::create_buffer(c.vulkan_device(), kBytes, VK_BUFFER_USAGE_TRANSFER_SRC_BIT, true);
  BufferAllocation to = interop::create_buffer(c.vulkan_device(), kBytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT, true);
  std::memcpy(from.mapped, pixels.data(), kBytes);
  std::memset(to.mapped, 0, kBytes);
  interop::Semaphore timeline = interop::create_timeline(c.device(), 0);
  Submitter queue(c);
  queue.copy(from.buffer.get(), to.buffer.get(), kBytes, timeline.get(), 5, timeline.get(), 6);
  EXPECT_FALSE(interop::wait_timeline(c.device(), timeline.get(), 6, 50'000'000ull)) << "ran before its wait was met";
  host_signal(c.device(), timeline.get(), 5);
  ASSERT_TRUE(interop::wait_timeline(c.device(), timeline.get(), 6, 5'000'000'000ull));
  EXPECT_EQ(interop::timeline_value(c.device(), timeline.get()), 6u);
  EXPECT_EQ(std::memcmp(to.mapped, pixels.data(), kBytes), 0);
  vkDeviceWaitIdle(c.device());
  EXPECT_EQ(c.validation_errors() + c.validation_warnings(), 0);
}

TEST(ExternalMemory, SemaphoreValuesCrossFromOneDeviceToAnother) {
  Context exporter(validated()), importer(validated());
  if (!exporter.external_semaphores())
    GTEST_SKIP() << exporter.device_info().name << ": " << exporter.external_interop_unsupported()
                 << ": the cross-device semaphore check needs a driver that has it (NVIDIA's does)";
  interop::Semaphore timeline = interop::create_exportable_timeline(exporter.device(), 0);
  interop::Semaphore imported =
      interop::import_timeline(importer.device(), interop::export_semaphore_fd(exporter.device(), timeline.get()));
  const auto pixels = gradient();
  BufferAllocation from = interop::create_buffer(importer.vulkan_device(), kBytes, VK_BUFFER_USAGE_TRANSFER_SRC_BIT, true);
  BufferAllocation to = interop::create_buffer(importer.vulkan_device(), kBytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT, true);
  std::memcpy(from.mapped, pixels.data(), kBytes);
  Submitter importer_queue(importer);
  // The importer's copy waits for the exporter's 5 and signals 6 back.
  importer_queue.copy(from.buffer.get(), to.buffer.get(), kBytes, imported.get(), 5, imported.get(), 6);
  EXPECT_FALSE(interop::wait_timeline(exporter.device(), timeline.get(), 6, 50'000'000ull));
  host_signal(exporter.device(), timeline.get(), 5);
  ASSERT_TRUE(interop::wait_timeline(exporter.device(), timeline.get(), 6, 5'000'000'000ull));
  EXPECT_EQ(interop::timeline_value(importer.device(), imported.get()), 6u);
  vkDeviceWaitIdle(importer.device());
  vkDeviceWaitIdle(exporter.device());
}

TEST(ExternalMemory, AnImportOfWhatIsNotAnOpenFdFailsCleanly) {
  // Refused before the driver sees it: drivers need not report it (the NVIDIA driver imported fd
  // -1 without an error), so no Vulkan call is made and the layer has nothing to say.
  Context c(validated());
  ASSERT_TRUE(c.external_memory()) << c.external_interop_unsupported();
  // A descriptor number at the process's limit can never be open (the highest valid one is below).
  const int never_open = static_cast<int>(sysconf(_SC_OPEN_MAX));
  ASSERT_GT(never_open, 0);
  for (const int fd : {-1, never_open}) {
    EXPECT_THROW(interop::import_buffer(c.vulkan_device(), kBytes, kUsage, fd), Error) << fd;
    EXPECT_THROW(interop::import_timeline(c.vulkan_device().device, fd), Error) << fd;
  }
  EXPECT_EQ(c.validation_errors() + c.validation_warnings(), 0) << ::testing::PrintToString(c.validation_messages());
}

}  // namespace
}  // namespace lw::renderer
