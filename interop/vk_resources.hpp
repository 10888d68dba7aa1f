// Buffers and images with their own memory: the few allocations the renderer and the sinks
// make (staging rings, tile images, readback buffers), each created once and reused per frame.
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>

#include "interop/vk_handle.hpp"

namespace lw::interop {

// The device a sink or pass works on: handles only, owned by renderer::Context.
struct VulkanDevice {
  VkPhysicalDevice physical = VK_NULL_HANDLE;
  VkDevice device = VK_NULL_HANDLE;
};

// The index of a memory type allowed by `type_bits` with all of `required` properties,
// preferring one that also has `preferred`. Throws when none exists.
std::uint32_t find_memory_type(VkPhysicalDevice physical, std::uint32_t type_bits, VkMemoryPropertyFlags required,
                               VkMemoryPropertyFlags preferred = 0);

struct BufferAllocation {
  Memory memory;
  Buffer buffer;
  VkDeviceSize size = 0;
  VkDeviceSize memory_size = 0;  // of the memory behind it (what an importer of it must name)
  void* mapped = nullptr;  // non-null for host-visible buffers: mapped once, for their lifetime
};

// A buffer with dedicated memory; `host_visible` buffers are persistently mapped and coherent.
BufferAllocation create_buffer(const VulkanDevice& dev, VkDeviceSize size, VkBufferUsageFlags usage, bool host_visible);

struct ImageAllocation {
  Memory memory;
  Image image;
  ImageViewHandle view;
  VkFormat format = VK_FORMAT_UNDEFINED;
  std::uint32_t width = 0, height = 0;
};

// A 2D, single-mip, optimal-tiling image in device memory with a colour view.
ImageAllocation create_image(const VulkanDevice& dev, std::uint32_t width, std::uint32_t height, VkFormat format,
                             VkImageUsageFlags usage);

// A command pool on queue family `family` with one primary command buffer from it (freed with
// the pool): what each frame slot, a one-off submit and a probe record into.
struct CommandBufferPool {
  CommandPool pool;
  VkCommandBuffer cmd = VK_NULL_HANDLE;
};
CommandBufferPool create_command_buffer(VkDevice device, std::uint32_t family, VkCommandPoolCreateFlags flags);

// A 2D colour view of the whole of `image`.
ImageViewHandle create_image_view(VkDevice device, VkImage image, VkFormat format);

// One image-layout transition as a pipeline barrier on the whole colour image.
void image_barrier(VkCommandBuffer cmd, VkImage image, VkImageLayout from, VkImageLayout to,
                   VkPipelineStageFlags src_stage, VkAccessFlags src_access, VkPipelineStageFlags dst_stage,
                   VkAccessFlags dst_access);

}  // namespace lw::interop
