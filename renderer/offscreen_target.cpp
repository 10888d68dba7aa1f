#include "renderer/offscreen_target.hpp"

#include "core/base/check.hpp"

namespace lw::renderer {

OffscreenTarget::OffscreenTarget(const interop::VulkanDevice& device, std::uint32_t width, std::uint32_t height,
                                 std::uint32_t image_count)
    : width_(width), height_(height) {
  LW_EXPECT(width >= 16 && height >= 16 && width <= 8192 && height <= 8192,
            "the frame size must be between 16 and 8192 pixels on each side, got " << width << "x" << height);
  LW_CHECK(image_count >= 1, "an offscreen target needs at least one image");
  for (std::uint32_t i = 0; i < image_count; ++i)
    images_.push_back(interop::create_image(device, width, height, format(),
                                            VK_IMAGE_USAGE_COLOR_ATTACHMENT_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT));
}

std::optional<AcquiredImage> OffscreenTarget::acquire(VkSemaphore) {
  AcquiredImage a;
  a.index = next_;
  next_ = (next_ + 1) % image_count();
  return a;
}

}  // namespace lw::renderer
