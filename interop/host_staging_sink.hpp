// The host path of the frame hand-off: each batch is converted once, float planar -> RGBA8,
// straight into a persistently mapped staging ring (one region per frame slot), and copied
// into the tiles' sampled images by vkCmdCopyBufferToImage in the frame's command buffer.
// Nothing is allocated per frame once configured.
#pragma once

#include <memory>
#include <vector>

#include "interop/frame_sink.hpp"
#include "interop/tile_images.hpp"
#include "interop/vk_resources.hpp"

namespace lw::interop {

class HostStagingSink final : public FrameSink {
 public:
  HostStagingSink(const VulkanDevice& device, int frames_in_flight);

  std::string_view name() const override { return "host-staging"; }
  std::shared_ptr<void> configure(int tiles, int height, int width) override;
  int tiles() const override { return res_ ? res_->tiles.tiles() : 0; }
  int height() const override { return res_ ? res_->tiles.height() : 0; }
  int width() const override { return res_ ? res_->tiles.width() : 0; }
  void write(const ImageView& batch, int slot) override;
  void record_upload(VkCommandBuffer cmd, int slot) override;
  bool has_content() const override { return res_ && res_->tiles.has_content(); }
  VkImageView view(int tile) const override;
  VkImage image(int tile) const override;
  std::uint64_t host_bytes_last_write() const override { return last_bytes_; }
  int host_copies_last_write() const override { return last_bytes_ > 0 ? 1 : 0; }  // the conversion into the ring

 private:
  struct Resources {
    TileImages tiles;
    BufferAllocation staging;  // frames_in_flight regions of tiles.slot_bytes()
  };

  VulkanDevice device_;
  int frames_in_flight_;
  std::shared_ptr<Resources> res_;
  std::vector<bool> pending_;  // per slot: written, not yet uploaded
  std::uint64_t last_bytes_ = 0;
};

}  // namespace lw::interop
