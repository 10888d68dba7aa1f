#include "interop/tile_upload.hpp"

namespace lw::interop {

void record_tile_upload(VkCommandBuffer cmd, VkBuffer buffer, VkDeviceSize offset, std::span<const ImageAllocation> images,
                        int width, int height, bool initialised) {
  const VkDeviceSize tile_bytes = static_cast<VkDeviceSize>(width) * height * 4;
  for (std::size_t t = 0; t < images.size(); ++t) {
    const VkImage image = images[t].image.get();
    image_barrier(cmd, image, initialised ? VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL : VK_IMAGE_LAYOUT_UNDEFINED,
                  VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT, 0,
                  VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT);
    VkBufferImageCopy region{};
    region.bufferOffset = offset + tile_bytes * t;
    region.bufferRowLength = static_cast<std::uint32_t>(width);
    region.bufferImageHeight = static_cast<std::uint32_t>(height);
    region.imageSubresource = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 0, 1};
    region.imageExtent = {static_cast<std::uint32_t>(width), static_cast<std::uint32_t>(height), 1};
    vkCmdCopyBufferToImage(cmd, buffer, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, 1, &region);
    image_barrier(cmd, image, VK_IMAGE_LAYOUT_TRANSFER_DST_OPTIMAL, VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL,
                  VK_PIPELINE_STAGE_TRANSFER_BIT, VK_ACCESS_TRANSFER_WRITE_BIT, VK_PIPELINE_STAGE_FRAGMENT_SHADER_BIT,
                  VK_ACCESS_SHADER_READ_BIT);
  }
}

}  // namespace lw::interop
