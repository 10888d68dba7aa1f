// Move-only owners of Vulkan objects, one template for every object family a device creates:
// the destroy call is chosen by the handle type, so a wrapper cannot be freed the wrong way.
// Owners never throw on destruction. Objects a frame in flight may still use are not destroyed
// here directly but handed to renderer::DeferredDeleter (see there).
#pragma once

#include <vulkan/vulkan.h>

#include <utility>

namespace lw::interop {

template <typename T>
struct VkDestroy;

#define LW_VK_DEVICE_OBJECT(Type, call) \
  template <>                           \
  struct VkDestroy<Type> {              \
    static void run(VkDevice d, Type h) noexcept { call(d, h, nullptr); } \
  };
LW_VK_DEVICE_OBJECT(VkBuffer, vkDestroyBuffer)
LW_VK_DEVICE_OBJECT(VkImage, vkDestroyImage)
LW_VK_DEVICE_OBJECT(VkImageView, vkDestroyImageView)
LW_VK_DEVICE_OBJECT(VkSampler, vkDestroySampler)
LW_VK_DEVICE_OBJECT(VkDeviceMemory, vkFreeMemory)
LW_VK_DEVICE_OBJECT(VkFence, vkDestroyFence)
LW_VK_DEVICE_OBJECT(VkSemaphore, vkDestroySemaphore)
LW_VK_DEVICE_OBJECT(VkCommandPool, vkDestroyCommandPool)
LW_VK_DEVICE_OBJECT(VkDescriptorPool, vkDestroyDescriptorPool)
LW_VK_DEVICE_OBJECT(VkDescriptorSetLayout, vkDestroyDescriptorSetLayout)
LW_VK_DEVICE_OBJECT(VkPipeline, vkDestroyPipeline)
LW_VK_DEVICE_OBJECT(VkPipelineLayout, vkDestroyPipelineLayout)
LW_VK_DEVICE_OBJECT(VkRenderPass, vkDestroyRenderPass)
LW_VK_DEVICE_OBJECT(VkFramebuffer, vkDestroyFramebuffer)
LW_VK_DEVICE_OBJECT(VkShaderModule, vkDestroyShaderModule)
LW_VK_DEVICE_OBJECT(VkSwapchainKHR, vkDestroySwapchainKHR)
#undef LW_VK_DEVICE_OBJECT

template <typename T>
class DeviceHandle {
 public:
  DeviceHandle() = default;
  DeviceHandle(VkDevice device, T handle) : device_(device), handle_(handle) {}
  DeviceHandle(const DeviceHandle&) = delete;
  DeviceHandle& operator=(const DeviceHandle&) = delete;
  DeviceHandle(DeviceHandle&& o) noexcept : device_(o.device_), handle_(std::exchange(o.handle_, VK_NULL_HANDLE)) {}
  DeviceHandle& operator=(DeviceHandle&& o) noexcept {
    if (this != &o) {
      reset();
      device_ = o.device_;
      handle_ = std::exchange(o.handle_, VK_NULL_HANDLE);
    }
    return *this;
  }
  ~DeviceHandle() { reset(); }

  T get() const { return handle_; }
  const T* ptr() const { return &handle_; }
  VkDevice device() const { return device_; }
  explicit operator bool() const { return handle_ != VK_NULL_HANDLE; }
  void reset() noexcept {
    if (handle_ != VK_NULL_HANDLE) VkDestroy<T>::run(device_, std::exchange(handle_, VK_NULL_HANDLE));
  }

 private:
  VkDevice device_ = VK_NULL_HANDLE;
  T handle_ = VK_NULL_HANDLE;
};

using Buffer = DeviceHandle<VkBuffer>;
using Image = DeviceHandle<VkImage>;
using ImageViewHandle = DeviceHandle<VkImageView>;
using Sampler = DeviceHandle<VkSampler>;
using Memory = DeviceHandle<VkDeviceMemory>;
using Fence = DeviceHandle<VkFence>;
using Semaphore = DeviceHandle<VkSemaphore>;
using CommandPool = DeviceHandle<VkCommandPool>;
using DescriptorPool = DeviceHandle<VkDescriptorPool>;
using DescriptorSetLayout = DeviceHandle<VkDescriptorSetLayout>;
using Pipeline = DeviceHandle<VkPipeline>;
using PipelineLayout = DeviceHandle<VkPipelineLayout>;
using RenderPass = DeviceHandle<VkRenderPass>;
using Framebuffer = DeviceHandle<VkFramebuffer>;
using ShaderModule = DeviceHandle<VkShaderModule>;
using Swapchain = DeviceHandle<VkSwapchainKHR>;

}  // namespace lw::interop
