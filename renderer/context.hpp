// The Vulkan context: instance (with validation and a debug-utils messenger when asked), the
// chosen physical device, one graphics queue, and the window surface when there is one.
// Everything else the renderer creates hangs off it and is destroyed before it.
#pragma once

#include <vulkan/vulkan.h>

#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "interop/sink_choice.hpp"
#include "interop/vk_handle.hpp"
#include "interop/vk_resources.hpp"
#include "renderer/device_choice.hpp"

namespace lw::renderer {

// On in debug builds; LW_VULKAN_VALIDATION=1 or 0 in the environment overrides (the test suite sets 1).
bool validation_by_default();

struct ContextOptions {
  bool validation = validation_by_default();
  std::vector<std::string> instance_extensions;  // a window system's (glfwGetRequiredInstanceExtensions)
  // Creates the window's surface once the instance exists; empty for headless rendering.
  std::function<VkSurfaceKHR(VkInstance)> make_surface;
  // The CUDA device's UUID, when there is one: the Vulkan device that is the same GPU wins.
  std::optional<DeviceUuid> preferred_uuid;
};

// Validation output, counted for tests (which fail on any error or warning) and printed.
struct ValidationLog {
  mutable std::mutex mutex;
  int errors = 0, warnings = 0;
  std::vector<std::string> messages;
};

class Context {
 public:
  explicit Context(const ContextOptions& options);
  ~Context();
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  VkInstance instance() const { return instance_; }
  VkPhysicalDevice physical() const { return physical_; }
  VkDevice device() const { return device_; }
  VkQueue queue() const { return queue_; }
  // Held around every submit and present on queue(): a background recording renders on the same
  // device and queue from its own thread (Vulkan wants queue access externally synchronised).
  std::mutex& queue_mutex() const { return queue_mutex_; }
  std::uint32_t queue_family() const { return queue_family_; }
  VkSurfaceKHR surface() const { return surface_; }
  interop::VulkanDevice vulkan_device() const { return {physical_, device_}; }
  const PhysicalDeviceInfo& device_info() const { return info_; }
  const std::string& device_choice_reason() const { return why_; }
  // Whether the device was created able to share memory and timeline semaphores (export and
  // import them as opaque fds), and if not, why not; timeline semaphores at all.
  bool external_memory() const { return memory_unsupported_.empty(); }
  bool external_semaphores() const { return semaphore_unsupported_.empty(); }
  bool timeline_semaphores() const { return timeline_; }
  // Empty when both are shared; else the first reason.
  std::string external_interop_unsupported() const {
    return !memory_unsupported_.empty() ? memory_unsupported_ : semaphore_unsupported_;
  }

  bool validation_enabled() const { return messenger_ != VK_NULL_HANDLE; }
  int validation_errors() const;
  int validation_warnings() const;
  std::vector<std::string> validation_messages() const;

  // Records, submits and waits for a one-off command buffer: set-up work only, never per frame.
  void submit_once(const std::function<void(VkCommandBuffer)>& record) const;

 private:
  void release() noexcept;

  VkInstance instance_ = VK_NULL_HANDLE;
  VkDebugUtilsMessengerEXT messenger_ = VK_NULL_HANDLE;
  VkSurfaceKHR surface_ = VK_NULL_HANDLE;
  VkPhysicalDevice physical_ = VK_NULL_HANDLE;
  VkDevice device_ = VK_NULL_HANDLE;
  VkQueue queue_ = VK_NULL_HANDLE;
  mutable std::mutex queue_mutex_;
  std::uint32_t queue_family_ = 0;
  PhysicalDeviceInfo info_;
  std::string why_;
  std::string memory_unsupported_, semaphore_unsupported_;
  bool timeline_ = false;
  std::unique_ptr<ValidationLog> log_;
};

// What choose_sink needs to know of this context's device, for `frames_in_flight` slots.
interop::SinkRequest sink_request(const Context& context, int frames_in_flight, interop::SinkPreference preference);

}  // namespace lw::renderer
