#include <torch/torch.h>

#include <algorithm>
#include <thread>

#include "app/commands.hpp"

namespace lw::app {

void use_all_cores_for_torch() {
  torch::set_num_threads(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

}  // namespace lw::app
