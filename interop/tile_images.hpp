// The tiles' sampled images, as both sinks set them up: `tiles` RGBA8 images of width x height
// (sampled, copy source and destination), their layout state, and the upload that fills them
// from consecutive tiles in a buffer (record_tile_upload). A sink keeps one per configuration.
#pragma once

#include <vulkan/vulkan.h>

#include <cstddef>
#include <vector>

#include "interop/vk_resources.hpp"

namespace lw::interop {

class TileImages {
 public:
  // Throws naming the limit when tiles is outside 1..4 or a size is not positive.
  TileImages(const VulkanDevice& device, int tiles, int height, int width);

  int tiles() const { return tiles_; }
  int height() const { return height_; }
  int width() const { return width_; }
  std::size_t tile_bytes() const { return static_cast<std::size_t>(height_) * width_ * 4; }
  std::size_t slot_bytes() const { return tile_bytes() * static_cast<std::size_t>(tiles_); }
  VkImage image(int tile) const;
  VkImageView view(int tile) const;
  // True once an upload has been recorded: before that the images hold nothing to sample.
  bool has_content() const { return initialised_; }

  // Records the copy of tile i from `buffer` at offset + i * tile_bytes() into image i, with the
  // layout transitions; the images are SHADER_READ_ONLY_OPTIMAL afterwards.
  void record_upload(VkCommandBuffer cmd, VkBuffer buffer, VkDeviceSize offset);

 private:
  const ImageAllocation& at(int tile) const;

  std::vector<ImageAllocation> images_;
  int tiles_, height_, width_;
  bool initialised_ = false;  // layout SHADER_READ_ONLY_OPTIMAL (else UNDEFINED)
};

}  // namespace lw::interop
