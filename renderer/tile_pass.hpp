// Draws the sink's tiles as textured quads (bilinear filtering) into the frame's render pass:
// one descriptor set per tile image, the rectangle as a push constant, no vertex buffer.
#pragma once

#include <memory>
#include <span>
#include <vector>

#include "interop/frame_sink.hpp"
#include "interop/vk_handle.hpp"
#include "interop/vk_resources.hpp"
#include "renderer/tile_layout.hpp"

namespace lw::renderer {

class TilePass {
 public:
  TilePass(const interop::VulkanDevice& device, VkRenderPass render_pass);

  // Points one descriptor set per tile at the sink's current images. Returns the previous
  // sets' pool, which frames in flight may still use: retire it.
  std::shared_ptr<void> bind_images(const interop::FrameSink& sink);
  // Draws tile i of the bound images into rects[i] (pixels of a target of `extent`).
  void record(VkCommandBuffer cmd, VkExtent2D extent, std::span<const Rect> rects) const;

 private:
  VkDevice device_;
  interop::Sampler sampler_;
  interop::DescriptorSetLayout set_layout_;
  interop::PipelineLayout layout_;
  interop::Pipeline pipeline_;
  std::shared_ptr<interop::DescriptorPool> pool_;
  std::vector<VkDescriptorSet> sets_;
};

}  // namespace lw::renderer
