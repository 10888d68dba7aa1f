#include "renderer/swapchain_target.hpp"

#include <algorithm>

#include "interop/vk_check.hpp"

namespace lw::renderer {

SwapchainTarget::SwapchainTarget(const Context& context, Window& window) : context_(context), window_(window) {
  LW_CHECK(context.surface() != VK_NULL_HANDLE, "the context was made without the window's surface");
  std::uint32_t n = 0;
  LW_VK_CHECK(vkGetPhysicalDeviceSurfaceFormatsKHR(context.physical(), context.surface(), &n, nullptr));
  std::vector<VkSurfaceFormatKHR> formats(n);
  LW_VK_CHECK(vkGetPhysicalDeviceSurfaceFormatsKHR(context.physical(), context.surface(), &n, formats.data()));
  LW_EXPECT(!formats.empty(), "the window surface offers no image format");
  // UNORM BGRA, like the offscreen target: the same bytes reach the screen and the PNGs.
  // Then RGBA; any other format still presents, but its frames cannot be read back as 8-bit.
  format_ = formats[0].format;
  colour_space_ = formats[0].colorSpace;
  for (const VkFormat wanted : {VK_FORMAT_R8G8B8A8_UNORM, VK_FORMAT_B8G8R8A8_UNORM})
    for (const auto& f : formats)
      if (f.format == wanted) {
        format_ = f.format;
        colour_space_ = f.colorSpace;
      }
  eight_bit_ = format_ == VK_FORMAT_B8G8R8A8_UNORM || format_ == VK_FORMAT_R8G8B8A8_UNORM;
  res_ = build(VK_NULL_HANDLE);
}

std::shared_ptr<SwapchainTarget::Resources> SwapchainTarget::build(VkSwapchainKHR old) {
  VkSurfaceCapabilitiesKHR caps{};
  LW_VK_CHECK(vkGetPhysicalDeviceSurfaceCapabilitiesKHR(context_.physical(), context_.surface(), &caps));
  if (caps.currentExtent.width != UINT32_MAX) {
    extent_ = caps.currentExtent;
  } else {
    const auto fb = window_.framebuffer_size();
    extent_.width = std::clamp(fb.width, caps.minImageExtent.width, caps.maxImageExtent.width);
    extent_.height = std::clamp(fb.height, caps.minImageExtent.height, caps.maxImageExtent.height);
  }
  auto res = std::make_shared<Resources>();
  out_of_date_ = false;
  built_for_ = window_.framebuffer_size();
  ++generation_;
  if (extent_.width == 0 || extent_.height == 0) return res;  // minimised: nothing to make until it has area

  readable_ = eight_bit_ && (caps.supportedUsageFlags & VK_IMAGE_USAGE_TRANSFER_SRC_BIT) != 0;
  std::uint32_t count = caps.minImageCount + 1;
  if (caps.maxImageCount > 0) count = std::min(count, caps.maxImageCount);
  VkSwapchainCreateInfoKHR info{VK_STRUCTURE_TYPE_SWAPCHAIN_CREATE_INFO_KHR};
  info.surface = context_.surface();
  info.minImageCount = count;
  info.imageFormat = format_;
  info.imageColorSpace = colour_space_;
  info.imageExtent = extent_;
  info.imageArrayLayers = 1;
  info.imageUsage = VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | (readable_ ? VK_IMAGE_USAGE_TRANSFER_SRC_BIT : 0);
  info.imageSharingMode = VK_SHARING_MODE_EXCLUSIVE;
  info.preTransform = caps.currentTransform;
  info.compositeAlpha = (caps.supportedCompositeAlpha & VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR)
                            ? VK_COMPOSITE_ALPHA_OPAQUE_BIT_KHR
                            : static_cast<VkCompositeAlphaFlagBitsKHR>(caps.supportedCompositeAlpha & -caps.supportedCompositeAlpha);
  info.presentMode = VK_PRESENT_MODE_FIFO_KHR;  // always supported; paces the loop to the display
  info.clipped = VK_TRUE;
  info.oldSwapchain = old;
  VkSwapchainKHR sc = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreateSwapchainKHR(context_.device(), &info, nullptr, &sc));
  res->swapchain = interop::Swapchain(context_.device(), sc);

  std::uint32_t n = 0;
  LW_VK_CHECK(vkGetSwapchainImagesKHR(context_.device(), sc, &n, nullptr));
  res->images.resize(n);
  LW_VK_CHECK(vkGetSwapchainImagesKHR(context_.device(), sc, &n, res->images.data()));
  for (VkImage image : res->images) res->views.push_back(interop::create_image_view(context_.device(), image, format_));
  return res;
}

std::optional<AcquiredImage> SwapchainTarget::acquire(VkSemaphore acquired) {
  if (!res_->swapchain || out_of_date_) return std::nullopt;
  std::uint32_t index = 0;
  const VkResult r = vkAcquireNextImageKHR(context_.device(), res_->swapchain.get(), UINT64_MAX, acquired,
                                           VK_NULL_HANDLE, &index);
  if (r == VK_ERROR_OUT_OF_DATE_KHR) {
    out_of_date_ = true;
    return std::nullopt;
  }
  if (r == VK_SUBOPTIMAL_KHR) out_of_date_ = true;  // this image is still good; remake after presenting it
  else LW_VK_CHECK(r);
  return AcquiredImage{index, true};
}

bool SwapchainTarget::present(std::uint32_t index, VkSemaphore rendered) {
  VkPresentInfoKHR info{VK_STRUCTURE_TYPE_PRESENT_INFO_KHR};
  info.waitSemaphoreCount = 1;
  info.pWaitSemaphores = &rendered;
  info.swapchainCount = 1;
  const VkSwapchainKHR sc = res_->swapchain.get();
  info.pSwapchains = &sc;
  info.pImageIndices = &index;
  VkResult r = VK_SUCCESS;
  {
    std::lock_guard lock(context_.queue_mutex());
    r = vkQueuePresentKHR(context_.queue(), &info);
  }
  if (r == VK_ERROR_OUT_OF_DATE_KHR || r == VK_SUBOPTIMAL_KHR) {
    out_of_date_ = true;
    return false;
  }
  LW_VK_CHECK(r);
  return true;
}

bool SwapchainTarget::needs_recreate() const {
  if (out_of_date_ || !res_->swapchain) return true;
  // Against the window size it was built for: the extent itself may be clamped by the surface.
  const auto fb = window_.framebuffer_size();
  return fb.width != built_for_.width || fb.height != built_for_.height;
}

std::shared_ptr<void> SwapchainTarget::recreate() {
  auto previous = res_;
  res_ = build(previous->swapchain.get());
  return previous;
}

}  // namespace lw::renderer
