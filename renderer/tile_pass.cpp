#include "renderer/tile_pass.hpp"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "interop/vk_check.hpp"

namespace lw::renderer {

namespace {
// SPIR-V compiled from assets/shaders at build time (glslc -mfmt=num).
const std::uint32_t kTileVert[] = {
#include "shaders/tile.vert.inc"
};
const std::uint32_t kTileFrag[] = {
#include "shaders/tile.frag.inc"
};

interop::ShaderModule make_module(VkDevice device, const std::uint32_t* code, std::size_t bytes) {
  VkShaderModuleCreateInfo info{VK_STRUCTURE_TYPE_SHADER_MODULE_CREATE_INFO};
  info.codeSize = bytes;
  info.pCode = code;
  VkShaderModule m = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreateShaderModule(device, &info, nullptr, &m));
  return {device, m};
}
}  // namespace

TilePass::TilePass(const interop::VulkanDevice& dev, VkRenderPass render_pass) : device_(dev.device) {
  VkSamplerCreateInfo s{VK_STRUCTURE_TYPE_SAMPLER_CREATE_INFO};
  s.magFilter = VK_FILTER_LINEAR;
  s.minFilter = VK_FILTER_LINEAR;
  s.mipmapMode = VK_SAMPLER_MIPMAP_MODE_NEAREST;
  s.addressModeU = s.addressModeV = s.addressModeW = VK_SAMPLER_ADDRESS_MODE_CLAMP_TO_EDGE;
  s.maxLod = 0.f;
  VkSampler sampler = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreateSampler(device_, &s, nullptr, &sampler));
  sampler_ = interop::Sampler(device_, sampler);

  VkDescriptorSetLayoutBinding binding{};
  binding.binding = 0;
  binding.descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
  binding.descriptorCount = 1;
  binding.stageFlags = VK_SHADER_STAGE_FRAGMENT_BIT;
  VkDescriptorSetLayoutCreateInfo dl{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_LAYOUT_CREATE_INFO};
  dl.bindingCount = 1;
  dl.pBindings = &binding;
  VkDescriptorSetLayout set_layout = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreateDescriptorSetLayout(device_, &dl, nullptr, &set_layout));
  set_layout_ = interop::DescriptorSetLayout(device_, set_layout);

  VkPushConstantRange push{VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof(float) * 4};
  VkPipelineLayoutCreateInfo pl{VK_STRUCTURE_TYPE_PIPELINE_LAYOUT_CREATE_INFO};
  pl.setLayoutCount = 1;
  pl.pSetLayouts = &set_layout;
  pl.pushConstantRangeCount = 1;
  pl.pPushConstantRanges = &push;
  VkPipelineLayout layout = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreatePipelineLayout(device_, &pl, nullptr, &layout));
  layout_ = interop::PipelineLayout(device_, layout);

  const auto vert = make_module(device_, kTileVert, sizeof(kTileVert));
  const auto frag = make_module(device_, kTileFrag, sizeof(kTileFrag));
  VkPipelineShaderStageCreateInfo stages[2]{};
  stages[0] = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO, nullptr, 0, VK_SHADER_STAGE_VERTEX_BIT, vert.get(), "main", nullptr};
  stages[1] = {VK_STRUCTURE_TYPE_PIPELINE_SHADER_STAGE_CREATE_INFO, nullptr, 0, VK_SHADER_STAGE_FRAGMENT_BIT, frag.get(), "main", nullptr};
  VkPipelineVertexInputStateCreateInfo vi{VK_STRUCTURE_TYPE_PIPELINE_VERTEX_INPUT_STATE_CREATE_INFO};
  VkPipelineInputAssemblyStateCreateInfo ia{VK_STRUCTURE_TYPE_PIPELINE_INPUT_ASSEMBLY_STATE_CREATE_INFO};
  ia.topology = VK_PRIMITIVE_TOPOLOGY_TRIANGLE_STRIP;
  VkPipelineViewportStateCreateInfo vp{VK_STRUCTURE_TYPE_PIPELINE_VIEWPORT_STATE_CREATE_INFO};
  vp.viewportCount = 1;
  vp.scissorCount = 1;
  VkPipelineRasterizationStateCreateInfo rs{VK_STRUCTURE_TYPE_PIPELINE_RASTERIZATION_STATE_CREATE_INFO};
  rs.polygonMode = VK_POLYGON_MODE_FILL;
  rs.cullMode = VK_CULL_MODE_NONE;
  rs.frontFace = VK_FRONT_FACE_COUNTER_CLOCKWISE;
  rs.lineWidth = 1.f;
  VkPipelineMultisampleStateCreateInfo ms{VK_STRUCTURE_TYPE_PIPELINE_MULTISAMPLE_STATE_CREATE_INFO};
  ms.rasterizationSamples = VK_SAMPLE_COUNT_1_BIT;
  VkPipelineColorBlendAttachmentState blend{};
  blend.colorWriteMask = VK_COLOR_COMPONENT_R_BIT | VK_COLOR_COMPONENT_G_BIT | VK_COLOR_COMPONENT_B_BIT | VK_COLOR_COMPONENT_A_BIT;
  VkPipelineColorBlendStateCreateInfo cb{VK_STRUCTURE_TYPE_PIPELINE_COLOR_BLEND_STATE_CREATE_INFO};
  cb.attachmentCount = 1;
  cb.pAttachments = &blend;
  const VkDynamicState dynamic[] = {VK_DYNAMIC_STATE_VIEWPORT, VK_DYNAMIC_STATE_SCISSOR};
  VkPipelineDynamicStateCreateInfo ds{VK_STRUCTURE_TYPE_PIPELINE_DYNAMIC_STATE_CREATE_INFO};
  ds.dynamicStateCount = 2;
  ds.pDynamicStates = dynamic;
  VkGraphicsPipelineCreateInfo gp{VK_STRUCTURE_TYPE_GRAPHICS_PIPELINE_CREATE_INFO};
  gp.stageCount = 2;
  gp.pStages = stages;
  gp.pVertexInputState = &vi;
  gp.pInputAssemblyState = &ia;
  gp.pViewportState = &vp;
  gp.pRasterizationState = &rs;
  gp.pMultisampleState = &ms;
  gp.pColorBlendState = &cb;
  gp.pDynamicState = &ds;
  gp.layout = layout;
  gp.renderPass = render_pass;
  VkPipeline pipeline = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreateGraphicsPipelines(device_, VK_NULL_HANDLE, 1, &gp, nullptr, &pipeline));
  pipeline_ = interop::Pipeline(device_, pipeline);
}

std::shared_ptr<void> TilePass::bind_images(const interop::FrameSink& sink) {
  const auto n = static_cast<std::uint32_t>(sink.tiles());
  VkDescriptorPoolSize size{VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER, n};
  VkDescriptorPoolCreateInfo pi{VK_STRUCTURE_TYPE_DESCRIPTOR_POOL_CREATE_INFO};
  pi.maxSets = n;
  pi.poolSizeCount = 1;
  pi.pPoolSizes = &size;
  VkDescriptorPool pool = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreateDescriptorPool(device_, &pi, nullptr, &pool));
  auto new_pool = std::make_shared<interop::DescriptorPool>(device_, pool);
  std::vector<VkDescriptorSet> sets(n, VK_NULL_HANDLE);
  std::vector<VkDescriptorSetLayout> layouts(n, set_layout_.get());
  VkDescriptorSetAllocateInfo ai{VK_STRUCTURE_TYPE_DESCRIPTOR_SET_ALLOCATE_INFO};
  ai.descriptorPool = pool;
  ai.descriptorSetCount = n;
  ai.pSetLayouts = layouts.data();
  LW_VK_CHECK(vkAllocateDescriptorSets(device_, &ai, sets.data()));
  // Nothing below throws: the old sets stay in use until here.
  auto previous = std::exchange(pool_, std::move(new_pool));
  sets_ = std::move(sets);
  for (std::uint32_t i = 0; i < n; ++i) {
    VkDescriptorImageInfo image{sampler_.get(), sink.view(static_cast<int>(i)), VK_IMAGE_LAYOUT_SHADER_READ_ONLY_OPTIMAL};
    VkWriteDescriptorSet w{VK_STRUCTURE_TYPE_WRITE_DESCRIPTOR_SET};
    w.dstSet = sets_[i];
    w.descriptorCount = 1;
    w.descriptorType = VK_DESCRIPTOR_TYPE_COMBINED_IMAGE_SAMPLER;
    w.pImageInfo = &image;
    vkUpdateDescriptorSets(device_, 1, &w, 0, nullptr);
  }
  return previous;
}

void TilePass::record(VkCommandBuffer cmd, VkExtent2D extent, std::span<const Rect> rects) const {
  const float w = static_cast<float>(extent.width), h = static_cast<float>(extent.height);
  VkViewport viewport{0.f, 0.f, w, h, 0.f, 1.f};
  VkRect2D scissor{{0, 0}, extent};
  vkCmdSetViewport(cmd, 0, 1, &viewport);
  vkCmdSetScissor(cmd, 0, 1, &scissor);
  vkCmdBindPipeline(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, pipeline_.get());
  const std::size_t n = std::min(rects.size(), sets_.size());
  for (std::size_t i = 0; i < n; ++i) {
    const Rect& r = rects[i];
    const float ndc[4] = {2.f * r.x / w - 1.f, 2.f * r.y / h - 1.f, 2.f * (r.x + r.width) / w - 1.f,
                          2.f * (r.y + r.height) / h - 1.f};
    vkCmdBindDescriptorSets(cmd, VK_PIPELINE_BIND_POINT_GRAPHICS, layout_.get(), 0, 1, &sets_[i], 0, nullptr);
    vkCmdPushConstants(cmd, layout_.get(), VK_SHADER_STAGE_VERTEX_BIT, 0, sizeof(ndc), ndc);
    vkCmdDraw(cmd, 4, 1, 0, 0);
  }
}

}  // namespace lw::renderer
