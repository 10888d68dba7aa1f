// The windowed render target: a FIFO (vsync) swapchain on the window's surface, remade on
// resize; a minimised window has no area and its frames are skipped.
#pragma once

#include <vector>

#include "interop/vk_handle.hpp"
#include "renderer/context.hpp"
#include "renderer/render_target.hpp"
#include "renderer/window.hpp"

namespace lw::renderer {

class SwapchainTarget final : public RenderTarget {
 public:
  SwapchainTarget(const Context& context, Window& window);

  VkFormat format() const override { return format_; }
  VkExtent2D extent() const override { return extent_; }
  std::uint32_t image_count() const override { return static_cast<std::uint32_t>(res_->images.size()); }
  VkImage image(std::uint32_t i) const override { return res_->images.at(i); }
  VkImageView view(std::uint32_t i) const override { return res_->views.at(i).get(); }
  VkImageLayout final_layout() const override { return VK_IMAGE_LAYOUT_PRESENT_SRC_KHR; }
  bool readable() const override { return readable_; }
  bool headless() const override { return false; }
  std::optional<AcquiredImage> acquire(VkSemaphore acquired) override;
  bool present(std::uint32_t index, VkSemaphore rendered) override;
  bool needs_recreate() const override;
  std::shared_ptr<void> recreate() override;
  std::uint64_t generation() const override { return generation_; }

 private:
  struct Resources {
    interop::Swapchain swapchain;
    std::vector<VkImage> images;  // owned by the swapchain
    std::vector<interop::ImageViewHandle> views;
  };
  std::shared_ptr<Resources> build(VkSwapchainKHR old);

  const Context& context_;
  Window& window_;
  VkFormat format_ = VK_FORMAT_UNDEFINED;
  VkColorSpaceKHR colour_space_ = VK_COLOR_SPACE_SRGB_NONLINEAR_KHR;
  VkExtent2D extent_{};
  bool readable_ = false;
  bool eight_bit_ = false;
  VkExtent2D built_for_{};  // the window's framebuffer size when the swapchain was made
  bool out_of_date_ = false;
  std::shared_ptr<Resources> res_;
  std::uint64_t generation_ = 0;
};

}  // namespace lw::renderer
