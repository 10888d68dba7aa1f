// A Vulkan layer that loses the device, for the fault tests: a GPU whose driver resets cannot be
// made to on lavapipe, so this layer plays one. After LW_DEVICE_LOST_AFTER queue submissions
// (default 30) the next submission, and from then on every submission, present, acquire and
// wait, returns VK_ERROR_DEVICE_LOST, as a lost device does (Vulkan spec, "Lost Device").
// Before it first says so it lets the work already submitted finish, so that what the
// application then destroys is idle on the real device underneath.
//
// Enabled by the test's environment (VK_LAYER_PATH, VK_INSTANCE_LAYERS=VK_LAYER_LW_device_lost),
// never by the product.
#include <vulkan/vk_layer.h>
#include <vulkan/vulkan.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <unordered_map>

namespace {

// The next layer's (or the loader's) entry points: the same functions for every instance and
// device, which they take as their first argument.
std::atomic<PFN_vkGetInstanceProcAddr> g_next_instance_proc{nullptr};
std::atomic<PFN_vkGetDeviceProcAddr> g_next_device_proc{nullptr};

std::mutex g_mutex;
std::unordered_map<VkDevice, bool> g_lost;      // per device: lost yet?
std::unordered_map<VkQueue, VkDevice> g_queues;  // the device each queue came from
// Destruction's next functions, looked up at creation: the loader may no longer answer for an
// instance or device while it is being destroyed.
std::unordered_map<VkInstance, PFN_vkDestroyInstance> g_destroy_instance;
std::unordered_map<VkDevice, PFN_vkDestroyDevice> g_destroy_device;
std::atomic<long> g_submits{0};

long submits_before_loss() {
  const char* text = std::getenv("LW_DEVICE_LOST_AFTER");
  return text ? std::atol(text) : 30;
}

template <typename Fn>
Fn next(VkDevice device, const char* name) {
  return reinterpret_cast<Fn>(g_next_device_proc.load()(device, name));
}

VkDevice device_of(VkQueue queue) {
  std::lock_guard lock(g_mutex);
  return g_queues.at(queue);
}

// True once the device is lost. The submission that loses it first waits for the device to
// finish what it already had: nothing the application frees afterwards is still in use.
bool lose_device_on_submit(VkDevice device) {
  {
    std::lock_guard lock(g_mutex);
    if (g_lost[device]) return true;
    if (g_submits.fetch_add(1) < submits_before_loss()) return false;
    g_lost[device] = true;
  }
  next<PFN_vkDeviceWaitIdle>(device, "vkDeviceWaitIdle")(device);
  return true;
}

bool is_lost(VkDevice device) {
  std::lock_guard lock(g_mutex);
  return g_lost[device];
}

VKAPI_ATTR void VKAPI_CALL GetDeviceQueue(VkDevice d, uint32_t family, uint32_t index, VkQueue* q) {
  next<PFN_vkGetDeviceQueue>(d, "vkGetDeviceQueue")(d, family, index, q);
  std::lock_guard lock(g_mutex);
  g_queues[*q] = d;
}

VKAPI_ATTR void VKAPI_CALL GetDeviceQueue2(VkDevice d, const VkDeviceQueueInfo2* info, VkQueue* q) {
  next<PFN_vkGetDeviceQueue2>(d, "vkGetDeviceQueue2")(d, info, q);
  std::lock_guard lock(g_mutex);
  g_queues[*q] = d;
}

VKAPI_ATTR VkResult VKAPI_CALL QueueSubmit(VkQueue q, uint32_t n, const VkSubmitInfo* s, VkFence f) {
  const VkDevice d = device_of(q);
  if (lose_device_on_submit(d)) return VK_ERROR_DEVICE_LOST;
  return next<PFN_vkQueueSubmit>(d, "vkQueueSubmit")(q, n, s, f);
}

VKAPI_ATTR VkResult VKAPI_CALL QueueSubmit2(VkQueue q, uint32_t n, const VkSubmitInfo2* s, VkFence f) {
  const VkDevice d = device_of(q);
  if (lose_device_on_submit(d)) return VK_ERROR_DEVICE_LOST;
  return next<PFN_vkQueueSubmit2>(d, "vkQueueSubmit2")(q, n, s, f);
}

VKAPI_ATTR VkResult VKAPI_CALL QueuePresentKHR(VkQueue q, const VkPresentInfoKHR* p) {
  const VkDevice d = device_of(q);
  if (is_lost(d)) return VK_ERROR_DEVICE_LOST;
  return next<PFN_vkQueuePresentKHR>(d, "vkQueuePresentKHR")(q, p);
}

VKAPI_ATTR VkResult VKAPI_CALL AcquireNextImageKHR(VkDevice d, VkSwapchainKHR s, uint64_t t, VkSemaphore sem,
                                                   VkFence f, uint32_t* i) {
  if (is_lost(d)) return VK_ERROR_DEVICE_LOST;
  return next<PFN_vkAcquireNextImageKHR>(d, "vkAcquireNextImageKHR")(d, s, t, sem, f, i);
}

VKAPI_ATTR VkResult VKAPI_CALL WaitForFences(VkDevice d, uint32_t n, const VkFence* f, VkBool32 all, uint64_t t) {
  if (is_lost(d)) return VK_ERROR_DEVICE_LOST;
  return next<PFN_vkWaitForFences>(d, "vkWaitForFences")(d, n, f, all, t);
}

VKAPI_ATTR VkResult VKAPI_CALL GetFenceStatus(VkDevice d, VkFence f) {
  if (is_lost(d)) return VK_ERROR_DEVICE_LOST;
  return next<PFN_vkGetFenceStatus>(d, "vkGetFenceStatus")(d, f);
}

VKAPI_ATTR VkResult VKAPI_CALL WaitSemaphores(VkDevice d, const VkSemaphoreWaitInfo* w, uint64_t t) {
  if (is_lost(d)) return VK_ERROR_DEVICE_LOST;
  return next<PFN_vkWaitSemaphores>(d, "vkWaitSemaphores")(d, w, t);
}

VKAPI_ATTR VkResult VKAPI_CALL DeviceWaitIdle(VkDevice d) {
  if (is_lost(d)) return VK_ERROR_DEVICE_LOST;
  return next<PFN_vkDeviceWaitIdle>(d, "vkDeviceWaitIdle")(d);
}

VKAPI_ATTR VkResult VKAPI_CALL QueueWaitIdle(VkQueue q) {
  const VkDevice d = device_of(q);
  if (is_lost(d)) return VK_ERROR_DEVICE_LOST;
  return next<PFN_vkQueueWaitIdle>(d, "vkQueueWaitIdle")(q);
}

PFN_vkVoidFunction intercepted_device_function(const char* name);

VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL GetDeviceProcAddr(VkDevice device, const char* name) {
  // Only what the next layer has: an application asking for an extension's name gets null, as
  // it would without this layer, never a function of ours that calls nothing.
  const PFN_vkVoidFunction next_function = g_next_device_proc.load()(device, name);
  if (!next_function) return nullptr;
  if (const auto f = intercepted_device_function(name)) return f;
  return next_function;
}

// What `handle`'s destruction calls next, taken out of `functions`.
template <typename Handle, typename Fn>
Fn take(std::unordered_map<Handle, Fn>& functions, Handle handle) {
  std::lock_guard lock(g_mutex);
  const Fn fn = functions.at(handle);
  functions.erase(handle);
  return fn;
}

// The loader's link to the next layer in a create info's chain (where this layer finds whom to call).
template <typename LinkInfo>
LinkInfo* layer_link(const void* next, VkStructureType type) {
  auto* link = static_cast<LinkInfo*>(const_cast<void*>(next));
  while (link && !(link->sType == type && link->function == VK_LAYER_LINK_INFO))
    link = static_cast<LinkInfo*>(const_cast<void*>(link->pNext));
  return link;
}

VKAPI_ATTR VkResult VKAPI_CALL CreateDevice(VkPhysicalDevice physical, const VkDeviceCreateInfo* info,
                                            const VkAllocationCallbacks* allocator, VkDevice* device) {
  auto* chain = layer_link<VkLayerDeviceCreateInfo>(info->pNext, VK_STRUCTURE_TYPE_LOADER_DEVICE_CREATE_INFO);
  if (!chain) return VK_ERROR_INITIALIZATION_FAILED;
  const PFN_vkGetInstanceProcAddr next_instance_proc = chain->u.pLayerInfo->pfnNextGetInstanceProcAddr;
  const PFN_vkGetDeviceProcAddr next_device_proc = chain->u.pLayerInfo->pfnNextGetDeviceProcAddr;
  chain->u.pLayerInfo = chain->u.pLayerInfo->pNext;
  const auto create = reinterpret_cast<PFN_vkCreateDevice>(next_instance_proc(VK_NULL_HANDLE, "vkCreateDevice"));
  const VkResult r = create(physical, info, allocator, device);
  if (r != VK_SUCCESS) return r;
  std::lock_guard lock(g_mutex);
  g_next_device_proc = next_device_proc;
  g_destroy_device[*device] = reinterpret_cast<PFN_vkDestroyDevice>(next_device_proc(*device, "vkDestroyDevice"));
  return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL DestroyDevice(VkDevice device, const VkAllocationCallbacks* allocator) {
  {
    std::lock_guard lock(g_mutex);
    g_lost.erase(device);
    std::erase_if(g_queues, [&](const auto& q) { return q.second == device; });
  }
  take(g_destroy_device, device)(device, allocator);
}

VKAPI_ATTR VkResult VKAPI_CALL CreateInstance(const VkInstanceCreateInfo* info, const VkAllocationCallbacks* allocator,
                                              VkInstance* instance) {
  auto* chain = layer_link<VkLayerInstanceCreateInfo>(info->pNext, VK_STRUCTURE_TYPE_LOADER_INSTANCE_CREATE_INFO);
  if (!chain) return VK_ERROR_INITIALIZATION_FAILED;
  const PFN_vkGetInstanceProcAddr next_proc = chain->u.pLayerInfo->pfnNextGetInstanceProcAddr;
  chain->u.pLayerInfo = chain->u.pLayerInfo->pNext;
  const auto create = reinterpret_cast<PFN_vkCreateInstance>(next_proc(VK_NULL_HANDLE, "vkCreateInstance"));
  const VkResult r = create(info, allocator, instance);
  if (r != VK_SUCCESS) return r;
  std::lock_guard lock(g_mutex);
  g_next_instance_proc = next_proc;
  g_destroy_instance[*instance] = reinterpret_cast<PFN_vkDestroyInstance>(next_proc(*instance, "vkDestroyInstance"));
  return VK_SUCCESS;
}

VKAPI_ATTR void VKAPI_CALL DestroyInstance(VkInstance instance, const VkAllocationCallbacks* allocator) {
  take(g_destroy_instance, instance)(instance, allocator);
}

#define LW_FUNCTION(name, fn) \
  if (std::strcmp(wanted, name) == 0) return reinterpret_cast<PFN_vkVoidFunction>(fn)

PFN_vkVoidFunction intercepted_device_function(const char* wanted) {
  LW_FUNCTION("vkGetDeviceProcAddr", GetDeviceProcAddr);
  LW_FUNCTION("vkDestroyDevice", DestroyDevice);
  LW_FUNCTION("vkGetDeviceQueue", GetDeviceQueue);
  LW_FUNCTION("vkGetDeviceQueue2", GetDeviceQueue2);
  LW_FUNCTION("vkQueueSubmit", QueueSubmit);
  LW_FUNCTION("vkQueueSubmit2", QueueSubmit2);
  LW_FUNCTION("vkQueueSubmit2KHR", QueueSubmit2);
  LW_FUNCTION("vkQueuePresentKHR", QueuePresentKHR);
  LW_FUNCTION("vkAcquireNextImageKHR", AcquireNextImageKHR);
  LW_FUNCTION("vkWaitForFences", WaitForFences);
  LW_FUNCTION("vkGetFenceStatus", GetFenceStatus);
  LW_FUNCTION("vkWaitSemaphores", WaitSemaphores);
  LW_FUNCTION("vkWaitSemaphoresKHR", WaitSemaphores);
  LW_FUNCTION("vkDeviceWaitIdle", DeviceWaitIdle);
  LW_FUNCTION("vkQueueWaitIdle", QueueWaitIdle);
  return nullptr;
}

}  // namespace

extern "C" {

VK_LAYER_EXPORT VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL lw_device_lost_GetInstanceProcAddr(VkInstance instance,
                                                                                           const char* wanted) {
  LW_FUNCTION("vkGetInstanceProcAddr", lw_device_lost_GetInstanceProcAddr);
  LW_FUNCTION("vkCreateInstance", CreateInstance);
  LW_FUNCTION("vkDestroyInstance", DestroyInstance);
  LW_FUNCTION("vkCreateDevice", CreateDevice);
  if (const auto f = intercepted_device_function(wanted)) return f;
  if (instance == VK_NULL_HANDLE || !g_next_instance_proc) return nullptr;  // the loader answers the global ones
  return g_next_instance_proc.load()(instance, wanted);
}

VK_LAYER_EXPORT VKAPI_ATTR PFN_vkVoidFunction VKAPI_CALL lw_device_lost_GetDeviceProcAddr(VkDevice device,
                                                                                         const char* wanted) {
  return GetDeviceProcAddr(device, wanted);
}

}  // extern "C"
