// Vulkan's half of sharing memory and a timeline semaphore with another API (CUDA) or another
// VkDevice: a buffer with dedicated, exportable memory (VK_KHR_external_memory_fd, opaque fd)
// and a timeline semaphore exportable the same way (VK_KHR_external_semaphore_fd), plus their
// imports. Exported file descriptors belong to the caller (an importer takes ownership on
// success). Nothing here needs CUDA, so it is tested on lavapipe with two devices.
#pragma once

#include <vulkan/vulkan.h>

#include <cstdint>
#include <string>
#include <vector>

#include "interop/vk_resources.hpp"

namespace lw::interop {

// Each is empty when `physical` can export and import that kind of object as an opaque fd (and
// the device extension named is there to enable), otherwise why not, in words: buffer memory
// (VK_KHR_external_memory_fd) and timeline semaphores (VK_KHR_external_semaphore_fd).
std::string external_memory_unsupported(VkPhysicalDevice physical);
std::string external_semaphore_unsupported(VkPhysicalDevice physical);

// A device-local buffer whose memory is a dedicated allocation exportable as an opaque fd.
BufferAllocation create_exportable_buffer(const VulkanDevice& dev, VkDeviceSize size, VkBufferUsageFlags usage);
// A new fd for the buffer's memory; the caller owns it.
int export_memory_fd(VkDevice device, VkDeviceMemory memory);
// A buffer over memory imported from `fd` (of `size` bytes as allocated by the exporter). On
// success the fd belongs to Vulkan; on failure it is closed.
BufferAllocation import_buffer(const VulkanDevice& dev, VkDeviceSize size, VkBufferUsageFlags usage, int fd);

// A timeline semaphore starting at `initial`: for this device only, or exportable as an opaque fd.
Semaphore create_timeline(VkDevice device, std::uint64_t initial);
Semaphore create_exportable_timeline(VkDevice device, std::uint64_t initial);
int export_semaphore_fd(VkDevice device, VkSemaphore semaphore);
// A timeline semaphore whose payload is imported from `fd` (which then belongs to Vulkan).
Semaphore import_timeline(VkDevice device, int fd);
// The semaphore's current value, and a host wait for a value (false on timeout).
std::uint64_t timeline_value(VkDevice device, VkSemaphore semaphore);
bool wait_timeline(VkDevice device, VkSemaphore semaphore, std::uint64_t value, std::uint64_t timeout_ns);

}  // namespace lw::interop
