#include "interop/tile_images.hpp"

#include "core/base/check.hpp"
#include "interop/tile_upload.hpp"

namespace lw::interop {

TileImages::TileImages(const VulkanDevice& device, int tiles, int height, int width)
    : tiles_(tiles), height_(height), width_(width) {
  LW_CHECK(tiles >= 1 && tiles <= 4 && height > 0 && width > 0, "tiles must be 1..4 and sizes positive");
  for (int t = 0; t < tiles; ++t)
    images_.push_back(create_image(device, static_cast<std::uint32_t>(width), static_cast<std::uint32_t>(height),
                                   VK_FORMAT_R8G8B8A8_UNORM,
                                   VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT));
}

const ImageAllocation& TileImages::at(int tile) const {
  LW_CHECK(tile >= 0 && tile < tiles_, "no tile " << tile);
  return images_[static_cast<std::size_t>(tile)];
}

VkImage TileImages::image(int tile) const { return at(tile).image.get(); }

VkImageView TileImages::view(int tile) const { return at(tile).view.get(); }

void TileImages::record_upload(VkCommandBuffer cmd, VkBuffer buffer, VkDeviceSize offset) {
  record_tile_upload(cmd, buffer, offset, images_, width_, height_, initialised_);
  initialised_ = true;
}

}  // namespace lw::interop
