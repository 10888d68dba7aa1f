// The copy every sink records before a frame samples its tiles: consecutive RGBA8 tiles in a
// buffer (tile i at offset + i * width * height * 4) into the tiles' images, with the layout
// transitions around it. One function for the host staging ring and CUDA's shared memory.
#pragma once

#include <vulkan/vulkan.h>

#include <span>

#include "interop/vk_resources.hpp"

namespace lw::interop {

// `initialised`: the images hold an earlier upload (SHADER_READ_ONLY_OPTIMAL), else UNDEFINED.
// The images are in SHADER_READ_ONLY_OPTIMAL afterwards, visible to fragment shaders.
void record_tile_upload(VkCommandBuffer cmd, VkBuffer buffer, VkDeviceSize offset, std::span<const ImageAllocation> images,
                        int width, int height, bool initialised);

}  // namespace lw::interop
