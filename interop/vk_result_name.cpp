#include "interop/vk_check.hpp"

namespace lw::interop {

const char* vk_result_name(VkResult r) {
  switch (r) {
#define LW_CASE(x) \
  case x:          \
    return #x;
    LW_CASE(VK_SUCCESS)
    LW_CASE(VK_NOT_READY)
    LW_CASE(VK_TIMEOUT)
    LW_CASE(VK_INCOMPLETE)
    LW_CASE(VK_SUBOPTIMAL_KHR)
    LW_CASE(VK_ERROR_OUT_OF_HOST_MEMORY)
    LW_CASE(VK_ERROR_OUT_OF_DEVICE_MEMORY)
    LW_CASE(VK_ERROR_INITIALIZATION_FAILED)
    // The one a performer meets mid-show (a driver reset, a GPU that stopped answering): the
    // error says what happened and what to do, not only its name.
    case VK_ERROR_DEVICE_LOST:
      return "VK_ERROR_DEVICE_LOST: the GPU device was lost (its driver reset it or it stopped answering); "
             "restart latentwalk";
    LW_CASE(VK_ERROR_MEMORY_MAP_FAILED)
    LW_CASE(VK_ERROR_LAYER_NOT_PRESENT)
    LW_CASE(VK_ERROR_EXTENSION_NOT_PRESENT)
    LW_CASE(VK_ERROR_FEATURE_NOT_PRESENT)
    LW_CASE(VK_ERROR_INCOMPATIBLE_DRIVER)
    LW_CASE(VK_ERROR_TOO_MANY_OBJECTS)
    LW_CASE(VK_ERROR_FORMAT_NOT_SUPPORTED)
    LW_CASE(VK_ERROR_SURFACE_LOST_KHR)
    LW_CASE(VK_ERROR_NATIVE_WINDOW_IN_USE_KHR)
    LW_CASE(VK_ERROR_OUT_OF_DATE_KHR)
    LW_CASE(VK_ERROR_INVALID_EXTERNAL_HANDLE)
#undef LW_CASE
    default:
      return "an unlisted VkResult";
  }
}

}  // namespace lw::interop
