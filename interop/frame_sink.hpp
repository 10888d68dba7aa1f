// A FrameSink hands a generator's output batch to sampled Vulkan images, one per tile. Two
// implementations: HostStagingSink (one conversion straight into a persistently mapped staging
// ring, then a buffer-to-image copy; works on any Vulkan device, lavapipe included) and the
// CUDA path, which writes device memory shared with Vulkan.
//
// Frame slots: the renderer keeps `frames_in_flight` frames recording or executing at once and
// tells the sink which slot a frame uses; a slot's memory is written only after the renderer
// has waited for the frame that used it last.
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>
#include <memory>
#include <string_view>

#include "interop/image_view.hpp"

namespace lw::interop {

// A timeline semaphore value a frame's submit waits for before it reads the slot (CUDA's
// write), or nothing.
struct FrameWait {
  VkSemaphore semaphore = VK_NULL_HANDLE;
  std::uint64_t value = 0;
};

class FrameSink {
 public:
  virtual ~FrameSink() = default;

  // "host-staging" or "cuda-shared": what the panel and `view --json` report.
  virtual std::string_view name() const = 0;

  // Makes images for `tiles` images of height x width (RGBA8, sampled). Returns the resources
  // that held the previous configuration, which frames still in flight may use: the caller
  // keeps them alive until those frames have finished (renderer::DeferredDeleter).
  virtual std::shared_ptr<void> configure(int tiles, int height, int width) = 0;
  virtual int tiles() const = 0;
  virtual int height() const = 0;
  virtual int width() const = 0;

  // Takes the first tiles() images of `batch` for the frame in `slot`.
  virtual void write(const ImageView& batch, int slot) = 0;
  // Records what makes the slot's batch visible to fragment shaders; nothing when the slot has
  // no new batch. The images are in SHADER_READ_ONLY_OPTIMAL afterwards.
  virtual void record_upload(VkCommandBuffer cmd, int slot) = 0;
  // True once a batch has been uploaded: before that the images hold nothing to sample.
  virtual bool has_content() const = 0;
  virtual VkImageView view(int tile) const = 0;
  virtual VkImage image(int tile) const = 0;  // for copies out (tests, readback)
  // What the frame using `slot` waits for before its upload; the default: nothing.
  virtual FrameWait frame_wait(int /*slot*/) const { return {}; }
  // Bytes that crossed host memory for the last write, and how many copies through host memory
  // that write made, counted where they happen (0 on the zero-copy path).
  virtual std::uint64_t host_bytes_last_write() const = 0;
  virtual int host_copies_last_write() const = 0;
};

}  // namespace lw::interop
