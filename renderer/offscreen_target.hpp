// The headless render target: a small ring of colour images that frames render into and are
// read back from, with no window system at all.
#pragma once

#include <vector>

#include "interop/vk_resources.hpp"
#include "renderer/render_target.hpp"

namespace lw::renderer {

class OffscreenTarget final : public RenderTarget {
 public:
  // B8G8R8A8_UNORM, the format windows use, so headless and windowed frames are bit-identical.
  OffscreenTarget(const interop::VulkanDevice& device, std::uint32_t width, std::uint32_t height,
                  std::uint32_t image_count = 2);

  VkFormat format() const override { return VK_FORMAT_B8G8R8A8_UNORM; }
  VkExtent2D extent() const override { return {width_, height_}; }
  std::uint32_t image_count() const override { return static_cast<std::uint32_t>(images_.size()); }
  VkImage image(std::uint32_t i) const override { return images_.at(i).image.get(); }
  VkImageView view(std::uint32_t i) const override { return images_.at(i).view.get(); }
  VkImageLayout final_layout() const override { return VK_IMAGE_LAYOUT_TRANSFER_SRC_OPTIMAL; }
  bool readable() const override { return true; }
  bool headless() const override { return true; }
  std::optional<AcquiredImage> acquire(VkSemaphore) override;
  bool present(std::uint32_t, VkSemaphore) override { return true; }
  bool needs_recreate() const override { return false; }
  std::shared_ptr<void> recreate() override { return nullptr; }
  std::uint64_t generation() const override { return 0; }

 private:
  std::uint32_t width_, height_;
  std::vector<interop::ImageAllocation> images_;
  std::uint32_t next_ = 0;
};

}  // namespace lw::renderer
