#include "renderer/handoff_probe.hpp"

#include "interop/vk_check.hpp"

namespace lw::renderer {

HandoffProbe::HandoffProbe(const Context& c, interop::FrameSink& sink) : c_(c), sink_(sink) {
  auto commands = interop::create_command_buffer(c.device(), c.queue_family(), VK_COMMAND_POOL_CREATE_RESET_COMMAND_BUFFER_BIT);
  pool_ = std::move(commands.pool);
  cmd_ = commands.cmd;
  VkFenceCreateInfo fence{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
  VkFence f = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreateFence(c.device(), &fence, nullptr, &f));
  fence_ = interop::Fence(c.device(), f);
}

void HandoffProbe::upload(int slot, bool readback) {
  const auto bytes = static_cast<VkDeviceSize>(sink_.width()) * sink_.height() * 4;
  if (readback && readback_.size != bytes)
    readback_ = interop::create_buffer(c_.vulkan_device(), bytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT, true);
  LW_VK_CHECK(vkResetCommandBuffer(cmd_, 0));
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  LW_VK_CHECK(vkBeginCommandBuffer(cmd_, &begin));
  sink_.record_upload(cmd_, slot);
  if (readback) {
    const VkImage image = sink_.image(0);
    interop::image_barrier(cmd_, image, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                           VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_TRANSFER_BIT,
                           VK_ACCESS_TRANSFER_READ_BIT);
    VkBufferImageCopy region{};
    region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    region.imageExtent = {static_cast<std::uint32_t>(sink_.width()), static_cast<std::uint32_t>(sink_.height()), 1};
    vkCmdCopyImageToBuffer(cmd_, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, readback_.buffer.get(), 1, &region);
    interop::image_barrier(cmd_, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
                           VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_READ_BIT, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT,
                           VK_ACCESS_SHADER_READ_BIT);
    VkMemoryBarrier host{VK_STRUCTURE_TYPE_MEMORY_BARRIER};
    host.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    host.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
    vkCmdPipelineBarrier(cmd_, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 1, &host, 0, nullptr, 0, nullptr);
  }
  LW_VK_CHECK(vkEndCommandBuffer(cmd_));
  const interop::FrameWait wait = sink_.frame_wait(slot);
  const VkPipelineStageFlags stage = VK_PIPELINE_STAGE_TRANSFER_BIT;
  VkTimelineSemaphoreSubmitInfo values{VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
  values.waitSemaphoreValueCount = 1;
  values.pWaitSemaphoreValues = &wait.value;
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  if (wait.semaphore != VK_NULL_HANDLE) {
    submit.pNext = &values;
    submit.waitSemaphoreCount = 1;
    submit.pWaitSemaphores = &wait.semaphore;
    submit.pWaitDstStageMask = &stage;
  }
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &cmd_;
  const VkFence fence = fence_.get();
  LW_VK_CHECK(vkResetFences(c_.device(), 1, &fence));
  {
    std::lock_guard lock(c_.queue_mutex());
    LW_VK_CHECK(vkQueueSubmit(c_.queue(), 1, &submit, fence));
  }
  LW_VK_CHECK(vkWaitForFences(c_.device(), 1, &fence, VK_TRUE, UINT64_MAX));
}

}  // namespace lw::renderer
