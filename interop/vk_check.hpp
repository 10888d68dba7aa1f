// LW_VK_CHECK: a failed Vulkan call becomes an lw::Error naming the call, its VkResult and
// file:line. Device loss and out-of-memory are reported the same way; the caller decides.
#pragma once

#include <vulkan/vulkan.h>

#include "core/base/check.hpp"

namespace lw::interop {

const char* vk_result_name(VkResult r);

}  // namespace lw::interop

#define LW_VK_CHECK(call)                                                                        \
  do {                                                                                           \
    const VkResult lw_vk_result_ = (call);                                                       \
    LW_CHECK(lw_vk_result_ == VK_SUCCESS, "Vulkan call failed with " << ::lw::interop::vk_result_name(lw_vk_result_)); \
  } while (false)
