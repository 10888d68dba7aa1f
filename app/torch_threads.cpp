#include <torch/torch.h>

#include <algorithm>
#include <cstdlib>
#include <string>
#include <thread>

#include "app/commands.hpp"

namespace lw::app {

// Every core, unless OMP_NUM_THREADS says how many (a shared machine, a sanitizer run that keeps
// LibTorch's uninstrumented OpenMP pool out of its way): the variable users already set for it.
void use_all_cores_for_torch() {
  int threads = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  if (const char* set = std::getenv("OMP_NUM_THREADS")) {
    char* end = nullptr;
    const long n = std::strtol(set, &end, 10);
    // "4", " 4 " or OpenMP's nested list "4,2" (its first level is ours).
    while (end && *end == ' ') ++end;
    if (end != set && (*end == '\0' || *end == ',') && n >= 1 && n <= 4096) threads = static_cast<int>(n);
  }
  torch::set_num_threads(threads);
}

}  // namespace lw::app
