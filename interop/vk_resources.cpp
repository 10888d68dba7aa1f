#include "interop/vk_resources.hpp"

#include "interop/vk_check.hpp"

namespace lw::interop {

std::uint32_t find_memory_type(VkPhysicalDevice physical, std::uint32_t type_bits, VkMemoryPropertyFlags required,
                               VkMemoryPropertyFlags preferred) {
  VkPhysicalDeviceMemoryProperties props{};
  vkGetPhysicalDeviceMemoryProperties(physical, &props);
  std::uint32_t fallback = UINT32_MAX;
  for (std::uint32_t i = 0; i < props.memoryTypeCount; ++i) {
    if ((type_bits & (1u << i)) == 0) continue;
    const auto flags = props.memoryTypes[i].propertyFlags;
    if ((flags & required) != required) continue;
    if ((flags & preferred) == preferred) return i;
    if (fallback == UINT32_MAX) fallback = i;
  }
  LW_CHECK(fallback != UINT32_MAX, "the Vulkan device has no memory type with properties 0x" << std::hex << required);
  return fallback;
}

namespace {
Memory allocate(const VulkanDevice& dev, const VkMemoryRequirements& req, VkMemoryPropertyFlags required,
                VkMemoryPropertyFlags preferred) {
  VkMemoryAllocateInfo info{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  info.allocationSize = req.size;
  info.memoryTypeIndex = find_memory_type(dev.physical, req.memoryTypeBits, required, preferred);
  VkDeviceMemory mem = VK_NULL_HANDLE;
  LW_VK_CHECK(vkAllocateMemory(dev.device, &info, nullptr, &mem));
  return Memory(dev.device, mem);
}
}  // namespace

BufferAllocation create_buffer(const VulkanDevice& dev, VkDeviceSize size, VkBufferUsageFlags usage, bool host_visible) {
  BufferAllocation out;
  VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  info.size = size;
  info.usage = usage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  VkBuffer buffer = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreateBuffer(dev.device, &info, nullptr, &buffer));
  out.buffer = Buffer(dev.device, buffer);
  VkMemoryRequirements req{};
  vkGetBufferMemoryRequirements(dev.device, buffer, &req);
  out.memory = host_visible ? allocate(dev, req, VK_MEMORY_PROPERTY_HOST_VISIBLE_BIT | VK_MEMORY_PROPERTY_HOST_COHERENT_BIT,
                                       VK_MEMORY_PROPERTY_HOST_CACHED_BIT)
                            : allocate(dev, req, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0);
  LW_VK_CHECK(vkBindBufferMemory(dev.device, buffer, out.memory.get(), 0));
  out.size = size;
  if (host_visible) LW_VK_CHECK(vkMapMemory(dev.device, out.memory.get(), 0, VK_WHOLE_SIZE, 0, &out.mapped));
  return out;
}

ImageAllocation create_image(const VulkanDevice& dev, std::uint32_t width, std::uint32_t height, VkFormat format,
                             VkImageUsageFlags usage) {
  ImageAllocation out;
  VkImageCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_CREATE_INFO};
  info.imageType = VK_IMAGE_TYPE_2D;
  info.format = format;
  info.extent = {width, height, 1};
  info.mipLevels = 1;
  info.arrayLayers = 1;
  info.samples = VK_SAMPLE_COUNT_1_BIT;
  info.tiling = VK_IMAGE_TILING_OPTIMAL;
  info.usage = usage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  info.initialLayout = VK_IMAGE_LAYOUT_UNDEFINED;
  VkImage image = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreateImage(dev.device, &info, nullptr, &image));
  out.image = Image(dev.device, image);
  VkMemoryRequirements req{};
  vkGetImageMemoryRequirements(dev.device, image, &req);
  out.memory = allocate(dev, req, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT, 0);
  LW_VK_CHECK(vkBindImageMemory(dev.device, image, out.memory.get(), 0));

  out.view = create_image_view(dev.device, image, format);
  out.format = format;
  out.width = width;
  out.height = height;
  return out;
}

ImageViewHandle create_image_view(VkDevice device, VkImage image, VkFormat format) {
  VkImageViewCreateInfo info{VK_STRUCTURE_TYPE_IMAGE_VIEW_CREATE_INFO};
  info.image = image;
  info.viewType = VK_IMAGE_VIEW_TYPE_2D;
  info.format = format;
  info.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
  VkImageView view = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreateImageView(device, &info, nullptr, &view));
  return {device, view};
}

void image_barrier(VkCommandBuffer cmd, VkImage image, VkImageLayout from, VkImageLayout to,
                   VkPipelineStageFlags src_stage, VkAccessFlags src_access, VkPipelineStageFlags dst_stage,
                   VkAccessFlags dst_access) {
  VkImageMemoryBarrier b{VK_STRUCTURE_TYPE_IMAGE_MEMORY_BARRIER};
  b.srcAccessMask = src_access;
  b.dstAccessMask = dst_access;
  b.oldLayout = from;
  b.newLayout = to;
  b.srcQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  b.dstQueueFamilyIndex = VK_QUEUE_FAMILY_IGNORED;
  b.image = image;
  b.subresourceRange = {VK_IMAGE_ASPECT_COLOR_BIT, 0, 1, 0, 1};
  vkCmdPipelineBarrier(cmd, src_stage, dst_stage, 0, 0, nullptr, 0, nullptr, 1, &b);
}

CommandBufferPool create_command_buffer(VkDevice device, std::uint32_t family, VkCommandPoolCreateFlags flags) {
  VkCommandPoolCreateInfo info{VK_STRUCTURE_TYPE_COMMAND_POOL_CREATE_INFO};
  info.flags = flags;
  info.queueFamilyIndex = family;
  VkCommandPool pool = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreateCommandPool(device, &info, nullptr, &pool));
  CommandBufferPool out;
  out.pool = CommandPool(device, pool);
  VkCommandBufferAllocateInfo alloc{VK_STRUCTURE_TYPE_COMMAND_BUFFER_ALLOCATE_INFO};
  alloc.commandPool = pool;
  alloc.level = VK_COMMAND_BUFFER_LEVEL_PRIMARY;
  alloc.commandBufferCount = 1;
  LW_VK_CHECK(vkAllocateCommandBuffers(device, &alloc, &out.cmd));
  return out;
}

}  // namespace lw::interop
