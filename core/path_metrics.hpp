// Metrics along one tile's walk, for the compare plots: plain floats, no LibTorch.
#pragma once

#include <string>
#include <vector>

namespace lw {

struct PathMetrics {
  std::string label;
  std::vector<float> log_density, norm, realism;  // empty: not available for this model
};

}  // namespace lw
