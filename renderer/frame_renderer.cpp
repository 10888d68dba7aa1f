#include "renderer/frame_renderer.hpp"

#include <array>

#include <cstring>

#include "interop/vk_check.hpp"

namespace lw::renderer {

namespace {
constexpr VkClearColorValue kBackground{{0.06f, 0.06f, 0.07f, 1.f}};

interop::RenderPass make_render_pass(VkDevice device, VkFormat format, VkImageLayout final_layout) {
  VkAttachmentDescription colour{};
  colour.format = format;
  colour.samples = VK_SAMPLE_COUNT_1_BIT;
  colour.loadOp = VK_ATTACHMENT_LOAD_OP_CLEAR;
  colour.storeOp = VK_ATTACHMENT_STORE_OP_STORE;
  colour.stencilLoadOp = VK_ATTACHMENT_LOAD_OP_DONT_CARE;
  colour.stencilStoreOp = VK_ATTACHMENT_STORE_OP_DONT_CARE;
  colour.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
  colour.finalLayout = final_layout;
  VkAttachmentReference ref{0, VK_IMAGE_LAYOUT_COLOR_ATTACHMENT_OPTIMAL};
  VkSubpassDescription subpass{};
  subpass.pipelineBindPoint = VK_PIPELINE_BIND_POINT_GRAPHICS;
  subpass.colorAttachmentCount = 1;
  subpass.pColorAttachments = &ref;
  // The acquire semaphore is waited at colour output; order the layout change after it.
  VkSubpassDependency deps[2]{};
  deps[0].srcSubpass = VK_SUBPASS_EXTERNAL;
  deps[0].dstSubpass = 0;
  deps[0].srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT | VK_PIPELINE_STAGE_TRANSFER_BIT;
  deps[0].srcAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
  deps[0].dstStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
  deps[0].dstAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
  // Later readback copies wait for the colour writes.
  deps[1].srcSubpass = 0;
  deps[1].dstSubpass = VK_SUBPASS_EXTERNAL;
  deps[1].srcStageMask = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
  deps[1].srcAccessMask = VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT;
  deps[1].dstStageMask = VK_PIPELINE_STAGE_TRANSFER_BIT;
  deps[1].dstAccessMask = VK_ACCESS_TRANSFER_READ_BIT;
  VkRenderPassCreateInfo info{VK_STRUCTURE_TYPE_RENDER_PASS_CREATE_INFO};
  info.attachmentCount = 1;
  info.pAttachments = &colour;
  info.subpassCount = 1;
  info.pSubpasses = &subpass;
  info.dependencyCount = 2;
  info.pDependencies = deps;
  VkRenderPass rp = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreateRenderPass(device, &info, nullptr, &rp));
  return {device, rp};
}
}  // namespace

namespace {
int checked_frames_in_flight(int n) {
  LW_CHECK(n >= 1 && n <= 4, "frames in flight must be 1..4");
  return n;
}
}  // namespace

FrameRenderer::FrameRenderer(const Context& context, RenderTarget& target, interop::FrameSink& sink, int frames_in_flight)
    : context_(context), target_(target), sink_(sink), deleter_(checked_frames_in_flight(frames_in_flight)) {
  const VkDevice device = context.device();
  render_pass_ = make_render_pass(device, target.format(), target.final_layout());
  tile_pass_ = std::make_unique<TilePass>(context.vulkan_device(), render_pass_.get());
  slots_.resize(static_cast<std::size_t>(frames_in_flight));
  for (auto& s : slots_) {
    auto commands = interop::create_command_buffer(device, context.queue_family(), VK_COMMAND_POOL_CREATE_TRANSIENT_BIT);
    s.pool = std::move(commands.pool);
    s.cmd = commands.cmd;
    VkFenceCreateInfo fi{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
    fi.flags = VK_FENCE_CREATE_SIGNALED_BIT;
    VkFence fence = VK_NULL_HANDLE;
    LW_VK_CHECK(vkCreateFence(device, &fi, nullptr, &fence));
    s.fence = interop::Fence(device, fence);
    VkSemaphoreCreateInfo si{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
    VkSemaphore sem = VK_NULL_HANDLE;
    LW_VK_CHECK(vkCreateSemaphore(device, &si, nullptr, &sem));
    s.acquired = interop::Semaphore(device, sem);
  }
  build_per_image();
}

FrameRenderer::~FrameRenderer() {
  on_readback_ = nullptr;  // whoever receives readbacks may be gone already
  try {
    finish();
  } catch (...) {
    // Destructors never throw; a lost device leaves nothing to wait for.
  }
  // Presentation is not covered by the frame fences: let the queue drain before the
  // semaphores and swapchain resources go. Shutdown only.
  std::lock_guard lock(context_.queue_mutex());
  vkQueueWaitIdle(context_.queue());
}

void FrameRenderer::build_per_image() {
  auto per = std::make_shared<PerImage>();
  const VkDevice device = context_.device();
  const VkExtent2D e = target_.extent();
  if (e.width > 0 && e.height > 0) {
    for (std::uint32_t i = 0; i < target_.image_count(); ++i) {
      const VkImageView view = target_.view(i);
      VkFramebufferCreateInfo fi{VK_STRUCTURE_TYPE_FRAMEBUFFER_CREATE_INFO};
      fi.renderPass = render_pass_.get();
      fi.attachmentCount = 1;
      fi.pAttachments = &view;
      fi.width = e.width;
      fi.height = e.height;
      fi.layers = 1;
      VkFramebuffer fb = VK_NULL_HANDLE;
      LW_VK_CHECK(vkCreateFramebuffer(device, &fi, nullptr, &fb));
      per->framebuffers.emplace_back(device, fb);
      VkSemaphoreCreateInfo si{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
      VkSemaphore sem = VK_NULL_HANDLE;
      LW_VK_CHECK(vkCreateSemaphore(device, &si, nullptr, &sem));
      per->rendered.emplace_back(device, sem);
    }
  }
  deleter_.retire(std::move(per_image_));
  per_image_ = std::move(per);
}

void FrameRenderer::configure_sink(int tiles, int height, int width) {
  deleter_.retire(sink_.configure(tiles, height, width));
  deleter_.retire(tile_pass_->bind_images(sink_));
}

void FrameRenderer::wait_slot(Slot& s) {
  // Finite: a frame waiting for a value its sink never signals (a CUDA fault) must end in an
  // error, not a hang. No frame takes this long, lavapipe at 4K included.
  constexpr std::uint64_t kTimeoutNs = 30'000'000'000ull;
  const VkFence fence = s.fence.get();
  const VkResult r = vkWaitForFences(context_.device(), 1, &fence, VK_TRUE, kTimeoutNs);
  LW_EXPECT(r != VK_TIMEOUT, "a frame did not finish within 30 s: the GPU or the hand-off (" << sink_.name() << ") stopped");
  LW_VK_CHECK(r);
}

void FrameRenderer::deliver_readback(Slot& s) {
  if (!s.readback_pending) return;
  s.readback_pending = false;
  ReadbackImage image;
  image.width = s.readback_extent.width;
  image.height = s.readback_extent.height;
  image.pixels = static_cast<const std::uint8_t*>(s.readback.mapped);
  const VkFormat f = target_.format();
  image.bgr = f == VK_FORMAT_B8G8R8A8_UNORM || f == VK_FORMAT_B8G8R8A8_SRGB;
  if (on_readback_) on_readback_(s.frame_number, image);
}

bool FrameRenderer::begin_frame() {
  LW_CHECK(!in_frame_, "begin_frame() twice without end_frame()");
  Slot& s = slots_[static_cast<std::size_t>(current_)];
  wait_slot(s);
  deleter_.collect(current_);
  deliver_readback(s);
  if (target_.needs_recreate()) {
    deleter_.retire(target_.recreate());
    build_per_image();
  }
  const VkExtent2D e = target_.extent();
  if (e.width == 0 || e.height == 0) return false;
  const auto acquired = target_.acquire(s.acquired.get());
  if (!acquired) return false;
  image_ = *acquired;
  in_frame_ = true;
  return true;
}

void FrameRenderer::end_frame(const FrameContent& content) {
  LW_CHECK(in_frame_, "end_frame() without a successful begin_frame()");
  in_frame_ = false;
  Slot& s = slots_[static_cast<std::size_t>(current_)];
  const VkDevice device = context_.device();
  const VkExtent2D extent = target_.extent();
  const VkFence fence = s.fence.get();
  LW_EXPECT(!content.readback || target_.readable(),
            "this window's swapchain images cannot be copied out, so no screenshot can be taken");
  LW_VK_CHECK(vkResetCommandPool(device, s.pool.get(), 0));
  const VkCommandBuffer cmd = s.cmd;
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  LW_VK_CHECK(vkBeginCommandBuffer(cmd, &begin));

  sink_.record_upload(cmd, current_);

  VkClearValue clear{};
  clear.color = kBackground;
  VkRenderPassBeginInfo rp{VK_STRUCTURE_TYPE_RENDER_PASS_BEGIN_INFO};
  rp.renderPass = render_pass_.get();
  rp.framebuffer = per_image_->framebuffers.at(image_.index).get();
  rp.renderArea = {{0, 0}, extent};
  rp.clearValueCount = 1;
  rp.pClearValues = &clear;
  vkCmdBeginRenderPass(cmd, &rp, VK_SUBPASS_CONTENTS_INLINE);
  if (sink_.has_content()) tile_pass_->record(cmd, extent, content.tiles);
  if (content.overlay) content.overlay(cmd);
  vkCmdEndRenderPass(cmd);

  if (content.readback) {
    const VkDeviceSize bytes = static_cast<VkDeviceSize>(extent.width) * extent.height * 4;
    if (s.readback.size != bytes) {
      deleter_.retire_value(std::move(s.readback));
      s.readback = interop::create_buffer(context_.vulkan_device(), bytes, VK_BUFFER_USAGE_TRANSFER_DST_BIT, true);
    }
    const VkImage image = target_.image(image_.index);
    const VkImageLayout final_layout = target_.final_layout();
    interop::image_barrier(cmd, image, final_layout, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL,
                           VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT, VK_ACCESS_COLOR_ATTACHMENT_WRITE_BIT,
                           VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_READ_BIT);
    VkBufferImageCopy region{};
    region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    region.imageExtent = {extent.width, extent.height, 1};
    vkCmdCopyImageToBuffer(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, s.readback.buffer.get(), 1, &region);
    interop::image_barrier(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL, final_layout, VK_PIPELINE_STAGE_TRANSFER_BIT,
                           VK_ACCESS_TRANSFER_READ_BIT, VK_PIPELINE_STAGE_BOTTOM_OF_PIPE_BIT, 0);
    VkBufferMemoryBarrier host{VK_STRUCTURE_TYPE_BUFFER_MEMORY_BARRIER};
    host.srcAccessMask = VK_ACCESS_TRANSFER_WRITE_BIT;
    host.dstAccessMask = VK_ACCESS_HOST_READ_BIT;
    host.srcQueueFamilyIndex = host.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
    host.buffer = s.readback.buffer.get();
    host.size = VK_WHOLE_SIZE;
    vkCmdPipelineBarrier(cmd, VK_PIPELINE_STAGE_TRANSFER_BIT, VK_PIPELINE_STAGE_HOST_BIT, 0, 0, nullptr, 1, &host, 0, nullptr);
    s.readback_pending = true;
    s.readback_extent = extent;
  }
  LW_VK_CHECK(vkEndCommandBuffer(cmd));

  // Waits: the swapchain image's acquire (binary) and the sink's write to this slot (a timeline
  // value CUDA signals), each only when there is one.
  std::array<VkSemaphore, 2> waits{};
  std::array<VkPipelineStageFlags, 2> wait_stages{};
  std::array<std::uint64_t, 2> wait_values{};  // ignored for the binary semaphore
  std::uint32_t wait_count = 0;
  if (image_.wait_on_acquire) {
    waits[wait_count] = s.acquired.get();
    wait_stages[wait_count++] = VK_PIPELINE_STAGE_COLOR_ATTACHMENT_OUTPUT_BIT;
  }
  const interop::FrameWait sink_wait = sink_.frame_wait(current_);
  if (sink_wait.semaphore != VK_NULL_HANDLE) {
    waits[wait_count] = sink_wait.semaphore;
    wait_values[wait_count] = sink_wait.value;
    wait_stages[wait_count++] = VK_PIPELINE_STAGE_TRANSFER_BIT;
  }
  VkTimelineSemaphoreSubmitInfo timeline{VK_STRUCTURE_TYPE_TIMELINE_SEMAPHORE_SUBMIT_INFO};
  timeline.waitSemaphoreValueCount = wait_count;
  timeline.pWaitSemaphoreValues = wait_values.data();
  const bool presents = !target_.headless();
  const VkSemaphore rendered = presents ? per_image_->rendered.at(image_.index).get() : VK_NULL_HANDLE;
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  if (sink_wait.semaphore != VK_NULL_HANDLE) submit.pNext = &timeline;
  submit.waitSemaphoreCount = wait_count;
  submit.pWaitSemaphores = waits.data();
  submit.pWaitDstStageMask = wait_stages.data();
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &cmd;
  submit.signalSemaphoreCount = presents ? 1 : 0;
  submit.pSignalSemaphores = &rendered;
  // Reset only now: a throw above must leave the fence signalled, or finish() would wait forever.
  LW_VK_CHECK(vkResetFences(device, 1, &fence));
  {
    std::lock_guard lock(context_.queue_mutex());
    LW_VK_CHECK(vkQueueSubmit(context_.queue(), 1, &submit, fence));
  }
  deleter_.commit(current_);
  s.frame_number = frames_submitted_++;
  if (presents) target_.present(image_.index, rendered);  // out of date: remade at the next begin_frame()
  current_ = (current_ + 1) % frames_in_flight();
}

void FrameRenderer::finish() {
  // Every frame first, so a throwing readback handler cannot leave frames running.
  for (auto& s : slots_) wait_slot(s);
  deleter_.collect_all();
  for (int i = 0; i < frames_in_flight(); ++i)  // oldest first: readbacks arrive in frame order
    deliver_readback(slots_[static_cast<std::size_t>((current_ + i) % frames_in_flight())]);
}

}  // namespace lw::renderer
