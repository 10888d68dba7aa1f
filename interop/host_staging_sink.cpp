#include "interop/host_staging_sink.hpp"

#include <span>
#include <utility>

#include "core/base/check.hpp"
#include "interop/rgba8_convert.hpp"

namespace lw::interop {

HostStagingSink::HostStagingSink(const VulkanDevice& device, int frames_in_flight)
    : device_(device), frames_in_flight_(frames_in_flight), pending_(static_cast<std::size_t>(frames_in_flight), false) {
  LW_CHECK(frames_in_flight >= 1, "a sink needs at least one frame slot");
}

std::shared_ptr<void> HostStagingSink::configure(int tiles, int height, int width) {
  // The new images first: if an allocation fails, the current ones stay as they are.
  TileImages images(device_, tiles, height, width);
  BufferAllocation staging = create_buffer(device_, static_cast<VkDeviceSize>(images.slot_bytes()) * frames_in_flight_,
                                           VK_BUFFER_USAGE_TRANSFER_SRC_BIT, true);
  auto previous = std::exchange(res_, std::make_shared<Resources>(Resources{std::move(images), std::move(staging)}));
  std::fill(pending_.begin(), pending_.end(), false);
  return previous;
}

void HostStagingSink::write(const ImageView& batch, int slot) {
  LW_CHECK(res_ != nullptr, "configure() the sink before writing to it");
  LW_CHECK(slot >= 0 && slot < frames_in_flight_, "frame slot " << slot << " out of range");
  LW_CHECK(!batch.on_device, "the host staging sink reads host memory; copy device images to the host first");
  const TileImages& t = res_->tiles;
  LW_CHECK(batch.batch >= t.tiles() && batch.height == t.height() && batch.width == t.width(),
           "batch [" << batch.batch << ", 3, " << batch.height << ", " << batch.width << "] does not fit the sink's "
                     << t.tiles() << " tiles of " << t.height() << "x" << t.width());
  auto* base = static_cast<std::uint8_t*>(res_->staging.mapped) + t.slot_bytes() * static_cast<std::size_t>(slot);
  for (int i = 0; i < t.tiles(); ++i)
    convert_to_rgba8(batch, i, std::span<std::uint8_t>(base + t.tile_bytes() * i, t.tile_bytes()),
                     static_cast<std::size_t>(t.width()) * 4);
  pending_[static_cast<std::size_t>(slot)] = true;
  last_bytes_ = t.slot_bytes();
}

void HostStagingSink::record_upload(VkCommandBuffer cmd, int slot) {
  if (!res_ || !pending_[static_cast<std::size_t>(slot)]) return;
  res_->tiles.record_upload(cmd, res_->staging.buffer.get(), res_->tiles.slot_bytes() * static_cast<std::size_t>(slot));
  pending_[static_cast<std::size_t>(slot)] = false;
}

VkImage HostStagingSink::image(int tile) const {
  LW_CHECK(res_ != nullptr, "no tile " << tile);
  return res_->tiles.image(tile);
}

VkImageView HostStagingSink::view(int tile) const {
  LW_CHECK(res_ != nullptr, "no tile " << tile);
  return res_->tiles.view(tile);
}

}  // namespace lw::interop
