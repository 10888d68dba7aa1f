#include "renderer/context.hpp"

#include "interop/external_memory.hpp"

#include <cstdlib>
#include <cstring>
#include <iostream>

#include "interop/vk_check.hpp"

namespace lw::renderer {

bool validation_by_default() {
  if (const char* env = std::getenv("LW_VULKAN_VALIDATION")) return std::strcmp(env, "0") != 0;
#ifdef NDEBUG
  return false;
#else
  return true;
#endif
}

namespace {

constexpr const char* kValidationLayer = "VK_LAYER_KHRONOS_validation";

VKAPI_ATTR VkBool32 VKAPI_CALL on_validation_message(VkDebugUtilsMessageSeverityFlagBitsEXT severity,
                                                     VkDebugUtilsMessageTypeFlagsEXT,
                                                     const VkDebugUtilsMessengerCallbackDataEXT* data, void* user) {
  auto* log = static_cast<ValidationLog*>(user);
  const bool error = severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
  const bool warning = severity & VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT;
  if (!error && !warning) return VK_FALSE;
  const std::string text = std::string(error ? "error" : "warning") + ": " + (data->pMessage ? data->pMessage : "");
  {
    std::lock_guard lock(log->mutex);
    (error ? log->errors : log->warnings) += 1;
    log->messages.push_back(text);
  }
  std::cerr << "vulkan validation " << text << "\n";
  return VK_FALSE;
}

bool has_layer(const char* name) {
  std::uint32_t n = 0;
  vkEnumerateInstanceLayerProperties(&n, nullptr);
  std::vector<VkLayerProperties> layers(n);
  vkEnumerateInstanceLayerProperties(&n, layers.data());
  for (const auto& l : layers)
    if (std::strcmp(l.layerName, name) == 0) return true;
  return false;
}

DeviceKind kind_of(VkPhysicalDeviceType t) {
  switch (t) {
    case VK_PHYSICAL_DEVICE_TYPE_DISCRETE_GPU: return DeviceKind::Discrete;
    case VK_PHYSICAL_DEVICE_TYPE_INTEGRATED_GPU: return DeviceKind::Integrated;
    case VK_PHYSICAL_DEVICE_TYPE_VIRTUAL_GPU: return DeviceKind::Virtual;
    case VK_PHYSICAL_DEVICE_TYPE_CPU: return DeviceKind::Cpu;
    default: return DeviceKind::Other;
  }
}

PhysicalDeviceInfo describe(VkPhysicalDevice pd, VkSurfaceKHR surface) {
  PhysicalDeviceInfo info;
  VkPhysicalDeviceIDProperties id{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_ID_PROPERTIES};
  VkPhysicalDeviceProperties2 props{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_PROPERTIES_2};
  props.pNext = &id;
  vkGetPhysicalDeviceProperties2(pd, &props);
  info.name = props.properties.deviceName;
  info.kind = kind_of(props.properties.deviceType);
  std::memcpy(info.uuid.data(), id.deviceUUID, VK_UUID_SIZE);
  std::uint32_t n = 0;
  vkGetPhysicalDeviceQueueFamilyProperties(pd, &n, nullptr);
  std::vector<VkQueueFamilyProperties> families(n);
  vkGetPhysicalDeviceQueueFamilyProperties(pd, &n, families.data());
  for (std::uint32_t f = 0; f < n; ++f) {
    if (!(families[f].queueFlags & VK_QUEUE_GRAPHICS_BIT)) continue;
    VkBool32 presents = VK_FALSE;
    if (surface != VK_NULL_HANDLE) vkGetPhysicalDeviceSurfaceSupportKHR(pd, f, surface, &presents);
    if (info.graphics_family < 0 || (presents && !info.presents)) {
      info.graphics_family = static_cast<int>(f);
      info.presents = presents == VK_TRUE;
    }
  }
  return info;
}

}  // namespace

Context::Context(const ContextOptions& options) : log_(std::make_unique<ValidationLog>()) {
  VkApplicationInfo app{VK_STRUCTURE_TYPE_APPLICATION_INFO};
  app.pApplicationName = "latentwalk";
  app.pEngineName = "latentwalk";
  app.apiVersion = VK_API_VERSION_1_2;

  std::vector<const char*> extensions;
  for (const auto& e : options.instance_extensions) extensions.push_back(e.c_str());
  std::vector<const char*> layers;
  if (options.validation) {
    LW_EXPECT(has_layer(kValidationLayer), "Vulkan validation was requested but " << kValidationLayer
                                               << " is not installed (Debian package vulkan-validationlayers)");
    layers.push_back(kValidationLayer);
    extensions.push_back(VK_EXT_DEBUG_UTILS_EXTENSION_NAME);
  }
  VkDebugUtilsMessengerCreateInfoEXT messenger{VK_STRUCTURE_TYPE_DEBUG_UTILS_MESSENGER_CREATE_INFO_EXT};
  messenger.messageSeverity = VK_DEBUG_UTILS_MESSAGE_SEVERITY_WARNING_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_SEVERITY_ERROR_BIT_EXT;
  messenger.messageType = VK_DEBUG_UTILS_MESSAGE_TYPE_GENERAL_BIT_EXT | VK_DEBUG_UTILS_MESSAGE_TYPE_VALIDATION_BIT_EXT |
                          VK_DEBUG_UTILS_MESSAGE_TYPE_PERFORMANCE_BIT_EXT;
  messenger.pfnUserCallback = on_validation_message;
  messenger.pUserData = log_.get();

  VkInstanceCreateInfo info{VK_STRUCTURE_TYPE_INSTANCE_CREATE_INFO};
  info.pApplicationInfo = &app;
  info.enabledExtensionCount = static_cast<std::uint32_t>(extensions.size());
  info.ppEnabledExtensionNames = extensions.data();
  info.enabledLayerCount = static_cast<std::uint32_t>(layers.size());
  info.ppEnabledLayerNames = layers.data();
  // Synchronisation validation too: hazards between the tile uploads, the draws and the
  // readbacks are what a frame loop with frames in flight gets wrong.
  const VkValidationFeatureEnableEXT enables[] = {VK_VALIDATION_FEATURE_ENABLE_SYNCHRONIZATION_VALIDATION_EXT};
  VkValidationFeaturesEXT features{VK_STRUCTURE_TYPE_VALIDATION_FEATURES_EXT};
  features.enabledValidationFeatureCount = 1;
  features.pEnabledValidationFeatures = enables;
  features.pNext = &messenger;  // the messenger also reports problems of instance creation
  if (options.validation) info.pNext = &features;
  const VkResult created = vkCreateInstance(&info, nullptr, &instance_);
  LW_EXPECT(created != VK_ERROR_INCOMPATIBLE_DRIVER && created != VK_ERROR_INITIALIZATION_FAILED,
            "no Vulkan driver found (install mesa-vulkan-drivers for the lavapipe CPU device, or a GPU driver)");
  LW_EXPECT(created != VK_ERROR_EXTENSION_NOT_PRESENT,
            "the Vulkan driver lacks an instance extension the window system needs");
  LW_VK_CHECK(created);

  // From here on a throw must release what exists: the destructor does not run for a
  // constructor that throws, so finish in a guarded block.
  try {
    if (options.validation) {
      auto create = reinterpret_cast<PFN_vkCreateDebugUtilsMessengerEXT>(
          vkGetInstanceProcAddr(instance_, "vkCreateDebugUtilsMessengerEXT"));
      LW_CHECK(create != nullptr, "VK_EXT_debug_utils is missing");
      LW_VK_CHECK(create(instance_, &messenger, nullptr, &messenger_));
    }
    if (options.make_surface) surface_ = options.make_surface(instance_);

    std::uint32_t n = 0;
    LW_VK_CHECK(vkEnumeratePhysicalDevices(instance_, &n, nullptr));
    std::vector<VkPhysicalDevice> devices(n);
    LW_VK_CHECK(vkEnumeratePhysicalDevices(instance_, &n, devices.data()));
    std::vector<PhysicalDeviceInfo> infos;
    for (auto pd : devices) infos.push_back(describe(pd, surface_));
    const auto choice = choose_physical_device(infos, surface_ != VK_NULL_HANDLE, options.preferred_uuid);
    LW_EXPECT(choice.index.has_value(), choice.why);
    physical_ = devices[*choice.index];
    info_ = infos[*choice.index];
    why_ = choice.why;
    queue_family_ = static_cast<std::uint32_t>(info_.graphics_family);

    const float priority = 1.f;
    VkDeviceQueueCreateInfo queue{VK_STRUCTURE_TYPE_DEVICE_QUEUE_CREATE_INFO};
    queue.queueFamilyIndex = queue_family_;
    queue.queueCount = 1;
    queue.pQueuePriorities = &priority;
    std::vector<const char*> device_extensions;
    if (surface_ != VK_NULL_HANDLE) device_extensions.push_back(VK_KHR_SWAPCHAIN_EXTENSION_NAME);
    // Memory and a timeline semaphore shared with CUDA, when the device can: enabled whether
    // or not CUDA is there, so the sink can be chosen later and the Vulkan half tested alone.
    // Timeline semaphores (core in 1.2) are turned on wherever the device has them.
    memory_unsupported_ = interop::external_memory_unsupported(physical_);
    semaphore_unsupported_ = interop::external_semaphore_unsupported(physical_);
    if (memory_unsupported_.empty()) device_extensions.push_back(VK_KHR_EXTERNAL_MEMORY_FD_EXTENSION_NAME);
    if (semaphore_unsupported_.empty()) device_extensions.push_back(VK_KHR_EXTERNAL_SEMAPHORE_FD_EXTENSION_NAME);
    VkPhysicalDeviceVulkan12Features supported12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    VkPhysicalDeviceFeatures2 supported{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_FEATURES_2};
    supported.pNext = &supported12;
    vkGetPhysicalDeviceFeatures2(physical_, &supported);
    timeline_ = supported12.timelineSemaphore == VK_TRUE;
    VkPhysicalDeviceVulkan12Features features12{VK_STRUCTURE_TYPE_PHYSICAL_DEVICE_VULKAN_1_2_FEATURES};
    features12.timelineSemaphore = timeline_ ? VK_TRUE : VK_FALSE;
    VkDeviceCreateInfo dinfo{VK_STRUCTURE_TYPE_DEVICE_CREATE_INFO};
    dinfo.pNext = &features12;
    dinfo.queueCreateInfoCount = 1;
    dinfo.pQueueCreateInfos = &queue;
    dinfo.enabledExtensionCount = static_cast<std::uint32_t>(device_extensions.size());
    dinfo.ppEnabledExtensionNames = device_extensions.data();
    LW_VK_CHECK(vkCreateDevice(physical_, &dinfo, nullptr, &device_));
    vkGetDeviceQueue(device_, queue_family_, 0, &queue_);
  } catch (...) {
    release();
    throw;
  }
}

Context::~Context() { release(); }

void Context::release() noexcept {
  if (device_ != VK_NULL_HANDLE) {
    vkDeviceWaitIdle(device_);  // shutdown only: every frame has finished before objects go
    vkDestroyDevice(device_, nullptr);
    device_ = VK_NULL_HANDLE;
  }
  if (surface_ != VK_NULL_HANDLE) {
    vkDestroySurfaceKHR(instance_, surface_, nullptr);
    surface_ = VK_NULL_HANDLE;
  }
  if (messenger_ != VK_NULL_HANDLE) {
    auto destroy = reinterpret_cast<PFN_vkDestroyDebugUtilsMessengerEXT>(
        vkGetInstanceProcAddr(instance_, "vkDestroyDebugUtilsMessengerEXT"));
    if (destroy) destroy(instance_, messenger_, nullptr);
    messenger_ = VK_NULL_HANDLE;
  }
  if (instance_ != VK_NULL_HANDLE) {
    vkDestroyInstance(instance_, nullptr);
    instance_ = VK_NULL_HANDLE;
  }
}

int Context::validation_errors() const {
  std::lock_guard lock(log_->mutex);
  return log_->errors;
}
int Context::validation_warnings() const {
  std::lock_guard lock(log_->mutex);
  return log_->warnings;
}
std::vector<std::string> Context::validation_messages() const {
  std::lock_guard lock(log_->mutex);
  return log_->messages;
}

void Context::submit_once(const std::function<void(VkCommandBuffer)>& record) const {
  const auto commands = interop::create_command_buffer(device_, queue_family_, VK_COMMAND_POOL_CREATE_TRANSIENT_BIT);
  const VkCommandBuffer cmd = commands.cmd;
  VkCommandBufferBeginInfo begin{VK_STRUCTURE_TYPE_COMMAND_BUFFER_BEGIN_INFO};
  begin.flags = VK_COMMAND_BUFFER_USAGE_ONE_TIME_SUBMIT_BIT;
  LW_VK_CHECK(vkBeginCommandBuffer(cmd, &begin));
  record(cmd);
  LW_VK_CHECK(vkEndCommandBuffer(cmd));
  VkFenceCreateInfo finfo{VK_STRUCTURE_TYPE_FENCE_CREATE_INFO};
  VkFence raw_fence = VK_NULL_HANDLE;
  LW_VK_CHECK(vkCreateFence(device_, &finfo, nullptr, &raw_fence));
  interop::Fence fence(device_, raw_fence);
  VkSubmitInfo submit{VK_STRUCTURE_TYPE_SUBMIT_INFO};
  submit.commandBufferCount = 1;
  submit.pCommandBuffers = &cmd;
  {
    std::lock_guard lock(queue_mutex_);
    LW_VK_CHECK(vkQueueSubmit(queue_, 1, &submit, raw_fence));
  }
  LW_VK_CHECK(vkWaitForFences(device_, 1, &raw_fence, VK_TRUE, UINT64_MAX));
}

interop::SinkRequest sink_request(const Context& context, int frames_in_flight, interop::SinkPreference preference) {
  interop::SinkRequest r;
  r.device = context.vulkan_device();
  r.queue_family = context.queue_family();
  r.vulkan_uuid = context.device_info().uuid;
  r.vulkan_name = context.device_info().name;
  r.interop_unsupported = context.external_interop_unsupported();
  r.frames_in_flight = frames_in_flight;
  r.preference = preference;
  return r;
}

}  // namespace lw::renderer
