// Preloaded by scripts/check.sh: keeps the Khronos validation layer and Mesa's lavapipe driver
// mapped for the whole process (RTLD_NODELETE), so that LeakSanitizer's report at exit can name
// their allocations (once the Vulkan loader has unmapped a library, what it allocated shows as
// "unknown module", which no suppression can match). RTLD_LOCAL: none of their symbols joins the
// global namespace, so GLFW still finds the loader's vkGetInstanceProcAddr.
#include <dlfcn.h>

__attribute__((constructor)) static void keep_vulkan_loaded(void) {
  dlopen("libVkLayer_khronos_validation.so", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
  dlopen("libvulkan_lvp.so", RTLD_NOW | RTLD_LOCAL | RTLD_NODELETE);
}
