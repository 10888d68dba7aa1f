// Whether a test validates its Vulkan context: always, unless LW_VULKAN_VALIDATION=0 says not to
// (scripts/gpu_check.sh on a GPU machine that carries no validation layer: 22 MB more than may
// travel). Then the tests run unvalidated and say so on stderr, once.
#pragma once

#include <cstdlib>
#include <cstring>
#include <iostream>

namespace lw::test {

inline bool validate_vulkan() {
  const char* env = std::getenv("LW_VULKAN_VALIDATION");
  const bool off = env != nullptr && std::strcmp(env, "0") == 0;
  static const bool said = off && (std::cerr << "tests: Vulkan validation off (LW_VULKAN_VALIDATION=0)\n", true);
  (void)said;
  return !off;
}

}  // namespace lw::test
