#include "interop/external_memory.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>

#include "interop/vk_check.hpp"

namespace lw::interop {

namespace {

constexpr auto kMemoryHandle = VK_EXTERNAL_MEMORY_HANDLE_TYPE_OPAQUE_FD_BIT;
constexpr auto kSemaphoreHandle = VK_EXTERNAL_SEMAPHORE_HANDLE_TYPE_OPAQUE_FD_BIT;

// Extension entry points come from the device that has the extension enabled.
template <typename Fn>
Fn device_function(VkDevice device, const char* name) {
  auto fn = reinterpret_cast<Fn>(vkGetDeviceProcAddr(device, name));
  LW_EXPECT(fn != nullptr, name << " is missing: the device was created without the external interop extensions");
  return fn;
}

// Closes an fd a failed import did not take.
struct FdGuard {
  int fd;
  bool owned = true;
  ~FdGuard() {
    if (owned && fd >= 0) ::close(fd);
  }
};

VkDeviceMemory allocate_dedicated(const VulkanDevice& dev, VkBuffer buffer, const void* next_chain, VkDeviceSize& bytes) {
  VkMemoryRequirements req{};
  vkGetBufferMemoryRequirements(dev.device, buffer, &req);
  VkMemoryDedicatedAllocateInfo dedicated{VK_STRUCTURE_TYPE_MEMORY_DEDICATED_ALLOCATE_INFO};
  dedicated.pNext = next_chain;
  dedicated.buffer = buffer;
  VkMemoryAllocateInfo info{VK_STRUCTURE_TYPE_MEMORY_ALLOCATE_INFO};
  info.pNext = &dedicated;
  info.allocationSize = bytes = req.size;
  info.memoryTypeIndex = find_memory_type(dev.physical, req.memoryTypeBits, VK_MEMORY_PROPERTY_DEVICE_LOCAL_BIT);
  VkDeviceMemory memory = VK_NULL_HANDLE;
  LW_VK_CHECK(vkAllocateMemory(dev.device, &info, nullptr, &memory));
  return memory;
}

Buffer external_buffer(VkDevice device, VkDeviceSize size, VkBufferUsageFlags usage) {
  VkExternalMemoryBufferCreateInfo external{VK_STRUCTURE_TYPE_EXTERNAL_MEMORY_BUFFER_CREATE_INFO};
  external.handleTypes = kMemoryHandle;
  VkBufferCreateInfo info{VK_STRUCTURE_TYPE_BUFFER_CREATE_INFO};
  info.pNext = &external;
  info.size = size;
  info.usage = usage;
  info.sharingMode = VK_SHARING_MODE_EXCLUSIVE;
  VkBuffer buffer = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreateBuffer(device, &info, nullptr, &buffer));
  return Buffer(device, buffer);
}

Semaphore timeline(VkDevice device, std::uint64_t initial, const void* next_chain) {
  VkSemaphoreTypeCreateInfo type{VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO};
  type.pNext = next_chain;
  type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
  type.initialValue = initial;
  VkSemaphoreCreateInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_CREATE_INFO};
  info.pNext = &type;
  VkSemaphore semaphore = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreateSemaphore(device, &info, nullptr, &semaphore));
  return Semaphore(device, semaphore);
}

}  // namespace

namespace {

std::string lacks_extension(VkPhysicalDevice physical, const char* name) {
  std::uint32_t count = 0;
  vkEnumerateDeviceExtensionProperties(physical, nullptr, &count, nullptr);
  std::vector<VkExtensionProperties> available(count);
  vkEnumerateDeviceExtensionProperties(physical, nullptr, &count, available.data());
  const bool found = std::any_of(available.begin(), available.end(),
                                 [&](const VkExtensionProperties& e) { return std::strcmp(e.extensionName, name) == 0; });
  return found ? std::string() : std::string("the Vulkan driver lacks ") + name;
}

}  // namespace

std::string external_memory_unsupported(VkPhysicalDevice physical) {
  if (auto why = lacks_extension(physical, VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME); !why.empty()) return why;
  VkPhysicalDeviceExternalBufferInfo buffer{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_BUFFER_INFO};
  buffer.usage = VK_BUFFER_USAGE_TRANSFER_SRC_BIT | VK_BUFFER_USAGE_TRANSFER_DST_BIT;
  buffer.handleType = kMemoryHandle;
  VkExternalBufferProperties props{VK_STRUCTURE_TYPE_EXTERNAL_BUFFER_PROPERTIES};
  vkGetPhysicalDeviceExternalBufferProperties(physical, &buffer, &props);
  const auto features = props.externalMemoryProperties.externalMemoryFeatures;
  if (!(features & VK_EXTERNAL_MEMORY_FEATURE_EXPORTABLE_BIT) || !(features & VK_EXTERNAL_MEMORY_FEATURE_IMPORTABLE_BIT))
    return "the Vulkan device cannot export and import buffer memory as an opaque fd";
  return {};
}

std::string external_semaphore_unsupported(VkPhysicalDevice physical) {
  if (auto why = lacks_extension(physical, VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME); !why.empty()) return why;
  VkPhysicalDeviceVulkan12Features features12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
  VkPhysicalDeviceFeatures2 features{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
  features.pNext = &features12;
  vkGetPhysicalDeviceFeatures2(physical, &features);
  if (!features12.timelineSemaphore) return "the Vulkan device has no timeline semaphores";
  VkSemaphoreTypeCreateInfo type{VK_STRUCTURE_TYPE_SEMAPHORE_TYPE_CREATE_INFO};
  type.semaphoreType = VK_SEMAPHORE_TYPE_TIMELINE;
  VkPhysicalDeviceExternalSemaphoreInfo semaphore{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_EXTERNAL_SEMAPHORE_INFO};
  semaphore.pNext = &type;
  semaphore.handleType = kSemaphoreHandle;
  VkExternalSemaphoreProperties props{VK_STRUCTURE_TYPE_EXTERNAL_SEMAPHORE_PROPERTIES};
  vkGetPhysicalDeviceExternalSemaphoreProperties(physical, &semaphore, &props);
  const auto f = props.externalSemaphoreFeatures;
  if (!(f & VK_EXTERNAL_SEMAPHORE_FEATURE_EXPORTABLE_BIT) || !(f & VK_EXTERNAL_SEMAPHORE_FEATURE_IMPORTABLE_BIT))
    return "the Vulkan device cannot export and import timeline semaphores as an opaque fd";
  return {};
}

BufferAllocation create_exportable_buffer(const VulkanDevice& dev, VkDeviceSize size, VkBufferUsageFlags usage) {
  BufferAllocation out;
  out.buffer = external_buffer(dev.device, size, usage);
  VkExportMemoryAllocateInfo exported{VK_STRUCTURE_TYPE_EXPORT_MEMORY_ALLOCATE_INFO};
  exported.handleTypes = kMemoryHandle;
  out.memory = Memory(dev.device, allocate_dedicated(dev, out.buffer.get(), &exported, out.memory_size));
  LW_VK_CHECK(vkBindBufferMemory(dev.device, out.buffer.get(), out.memory.get(), 0));
  out.size = size;
  return out;
}

int export_memory_fd(VkDevice device, VkDeviceMemory memory) {
  const auto get_fd = device_function<PFN_vkGetMemoryFdKHR>(device, "vkGetMemoryFdKHR");
  VkMemoryGetFdInfoKHR info{VK_STRUCTURE_TYPE_MEMORY_GET_FD_INFO_KHR};
  info.memory = memory;
  info.handleType = kMemoryHandle;
  int fd = -1;
  LW_VK_CHECK(get_fd(device, &info, &fd));
  return fd;
}

// Importing what is not an open descriptor is invalid use that drivers need not report (the NVIDIA
// driver imports fd -1 without an error): refused here, the same on every driver.
namespace {
void expect_open_fd(int fd, const char* what) {
  LW_EXPECT(fd >= 0 && fcntl(fd, F_GETFD) != -1, "cannot import " << what << ": " << fd << " is not an open file descriptor");
}
}  // namespace

BufferAllocation import_buffer(const VulkanDevice& dev, VkDeviceSize size, VkBufferUsageFlags usage, int fd) {
  expect_open_fd(fd, "Vulkan memory");
  FdGuard guard{fd};
  BufferAllocation out;
  out.buffer = external_buffer(dev.device, size, usage);
  VkImportMemoryFdInfoKHR imported{VK_STRUCTURE_TYPE_IMPORT_MEMORY_FD_INFO_KHR};
  imported.handleType = kMemoryHandle;
  imported.fd = fd;
  const VkDeviceMemory memory = allocate_dedicated(dev, out.buffer.get(), &imported, out.memory_size);
  guard.owned = false;  // a successful import owns the fd
  out.memory = Memory(dev.device, memory);
  LW_VK_CHECK(vkBindBufferMemory(dev.device, out.buffer.get(), out.memory.get(), 0));
  out.size = size;
  return out;
}

Semaphore create_timeline(VkDevice device, std::uint64_t initial) { return timeline(device, initial, nullptr); }

Semaphore create_exportable_timeline(VkDevice device, std::uint64_t initial) {
  VkExportSemaphoreCreateInfo exported{VK_STRUCTURE_TYPE_EXPORT_SEMAPHORE_CREATE_INFO};
  exported.handleTypes = kSemaphoreHandle;
  return timeline(device, initial, &exported);
}

int export_semaphore_fd(VkDevice device, VkSemaphore semaphore) {
  const auto get_fd = device_function<PFN_vkGetSemaphoreFdKHR>(device, "vkGetSemaphoreFdKHR");
  VkSemaphoreGetFdInfoKHR info{VK_STRUCTURE_TYPE_SEMAPHORE_GET_FD_INFO_KHR};
  info.semaphore = semaphore;
  info.handleType = kSemaphoreHandle;
  int fd = -1;
  LW_VK_CHECK(get_fd(device, &info, &fd));
  return fd;
}

Semaphore import_timeline(VkDevice device, int fd) {
  expect_open_fd(fd, "a Vulkan semaphore");
  FdGuard guard{fd};
  const auto import_fd = device_function<PFN_vkImportSemaphoreFdKHR>(device, "vkImportSemaphoreFdKHR");
  Semaphore semaphore = timeline(device, 0, nullptr);
  VkImportSemaphoreFdInfoKHR info{VK_STRUCTURE_TYPE_IMPORT_SEMAPHORE_FD_INFO_KHR};
  info.semaphore = semaphore.get();
  info.handleType = kSemaphoreHandle;
  info.fd = fd;
  LW_VK_CHECK(import_fd(device, &info));
  guard.owned = false;
  return semaphore;
}

std::uint64_t timeline_value(VkDevice device, VkSemaphore semaphore) {
  std::uint64_t value = 0;
  LW_VK_CHECK(vkGetSemaphoreCounterValue(device, semaphore, &value));
  return value;
}

bool wait_timeline(VkDevice device, VkSemaphore semaphore, std::uint64_t value, std::uint64_t timeout_ns) {
  VkSemaphoreWaitInfo info{VK_STRUCTURE_TYPE_SEMAPHORE_WAIT_INFO};
  info.semaphoreCount = 1;
  info.pSemaphores = &semaphore;
  info.pValues = &value;
  const VkResult r = vkWaitSemaphores(device, &info, timeout_ns);
  if (r == VK_TIMEOUT) return false;
  LW_VK_CHECK(r);
  return true;
}

}  // namespace lw::interop
