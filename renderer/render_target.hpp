// Where frames go: a window's swapchain or an offscreen image set. The frame code (Renderer)
// is the same for both; only acquiring and presenting differ, so tests and videos render real
// frames headless on lavapipe through the path a window uses.
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>
#include <memory>
#include <optional>

namespace lw::renderer {

struct AcquiredImage {
  std::uint32_t index = 0;
  bool wait_on_acquire = false;  // the frame's submit must wait for the acquire semaphore
};

class RenderTarget {
 public:
  virtual ~RenderTarget() = default;

  virtual VkFormat format() const = 0;
  virtual VkExtent2D extent() const = 0;
  virtual std::uint32_t image_count() const = 0;
  virtual VkImage image(std::uint32_t i) const = 0;
  virtual VkImageView view(std::uint32_t i) const = 0;
  // The layout a finished frame leaves its image in (present, or transfer source for readback).
  virtual VkImageLayout final_layout() const = 0;
  // Whether frames can be copied out (screenshots, headless frames).
  virtual bool readable() const = 0;
  virtual bool headless() const = 0;

  // The next image to render into; `acquired` is signalled when it may be written. Empty when
  // the target is out of date or has no area (a minimised window): recreate() and skip the frame.
  virtual std::optional<AcquiredImage> acquire(VkSemaphore acquired) = 0;
  // Queues the image for display once `rendered` is signalled. False: out of date, recreate().
  virtual bool present(std::uint32_t index, VkSemaphore rendered) = 0;
  // True when the window changed size since the images were made.
  virtual bool needs_recreate() const = 0;
  // Remakes the images for the current size. Returns the previous ones, which frames in flight
  // may still use: retire them (DeferredDeleter). Bumps generation().
  virtual std::shared_ptr<void> recreate() = 0;
  virtual std::uint64_t generation() const = 0;
};

}  // namespace lw::renderer
