#include "interop/host_staging_sink.hpp"

#include <span>
#include <utility>

#include "core/base/check.hpp"
#include "interop/rgba8_convert.hpp"
#include "interop/tile_upload.hpp"

namespace lw::interop {

HostStagingSink::HostStagingSink(const VulkanDevice& device, int frames_in_flight)
    : device_(device), frames_in_flight_(frames_in_flight), pending_(static_cast<std::size_t>(frames_in_flight), false) {
  LW_CHECK(frames_in_flight >= 1, "a sink needs at least one frame slot");
}

std::shared_ptr<void> HostStagingSink::configure(int tiles, int height, int width) {
  LW_CHECK(tiles >= 1 && tiles <= 4 && height > 0 && width > 0, "tiles must be 1..4 and sizes positive");
  // The new images first: if an allocation fails, the current ones stay as they are.
  const std::size_t slot = static_cast<std::size_t>(height) * width * 4 * tiles;
  auto res = std::make_shared<Resources>();
  res->staging = create_buffer(device_, static_cast<VkDeviceSize>(slot) * frames_in_flight_,
                               VK_BUFFER_USAGE_TRANSFER_SRC_BIT, true);
  for (int t = 0; t < tiles; ++t)
    res->images.push_back(create_image(device_, static_cast<std::uint32_t>(width), static_cast<std::uint32_t>(height),
                                       VK_FORMAT_R8G8B8A8_UNORM,
                                       VK_IMAGE_USAGE_SAMPLED_BIT | VK_IMAGE_USAGE_TRANSFER_DST_BIT | VK_IMAGE_USAGE_TRANSFER_SRC_BIT));
  auto previous = std::exchange(res_, std::move(res));
  tiles_ = tiles;
  height_ = height;
  width_ = width;
  std::fill(pending_.begin(), pending_.end(), false);
  has_content_ = false;
  images_initialised_ = false;
  return previous;
}

void HostStagingSink::write(const ImageView& batch, int slot) {
  LW_CHECK(res_ != nullptr, "configure() the sink before writing to it");
  LW_CHECK(slot >= 0 && slot < frames_in_flight_, "frame slot " << slot << " out of range");
  LW_CHECK(!batch.on_device, "the host staging sink reads host memory; copy device images to the host first");
  LW_CHECK(batch.batch >= tiles_ && batch.height == height_ && batch.width == width_,
           "batch [" << batch.batch << ", 3, " << batch.height << ", " << batch.width << "] does not fit the sink's "
                     << tiles_ << " tiles of " << height_ << "x" << width_);
  auto* base = static_cast<std::uint8_t*>(res_->staging.mapped) + slot_bytes() * static_cast<std::size_t>(slot);
  for (int t = 0; t < tiles_; ++t)
    convert_to_rgba8(batch, t, std::span<std::uint8_t>(base + tile_bytes() * t, tile_bytes()),
                     static_cast<std::size_t>(width_) * 4);
  pending_[static_cast<std::size_t>(slot)] = true;
  last_bytes_ = slot_bytes();
}

void HostStagingSink::record_upload(VkCommandBuffer cmd, int slot) {
  if (!res_ || !pending_[static_cast<std::size_t>(slot)]) return;
  record_tile_upload(cmd, res_->staging.buffer.get(), slot_bytes() * static_cast<std::size_t>(slot), res_->images, width_,
                     height_, images_initialised_);
  pending_[static_cast<std::size_t>(slot)] = false;
  images_initialised_ = true;
  has_content_ = true;
}

VkImage HostStagingSink::image(int tile) const {
  LW_CHECK(res_ != nullptr && tile >= 0 && tile < tiles_, "no tile " << tile);
  return res_->images[static_cast<std::size_t>(tile)].image.get();
}

VkImageView HostStagingSink::view(int tile) const {
  LW_CHECK(res_ != nullptr && tile >= 0 && tile < tiles_, "no tile " << tile);
  return res_->images[static_cast<std::size_t>(tile)].view.get();
}

}  // namespace lw::interop
