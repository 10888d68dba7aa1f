#include "gui/tile_readouts.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace lw::gui {

std::vector<std::string> tile_readouts(const ViewStatus& status) {
  std::vector<std::string> out = status.session.labels;
  const float phase = std::clamp(status.path_phase, 0.f, 1.f);
  for (std::size_t i = 0; i < out.size() && i < status.paths.size(); ++i) {
    const PathPlot& p = status.paths[i];
    char buf[96];
    if (p.log_density.size() > 1) {
      const auto k = static_cast<std::size_t>(std::lround(phase * static_cast<float>(p.log_density.size() - 1)));
      std::snprintf(buf, sizeof buf, "   dlogp %+.1f", p.log_density[k] - p.log_density.front());
      out[i] += buf;
    }
    if (p.realism.size() > 1) {
      const auto k = static_cast<std::size_t>(std::lround(phase * static_cast<float>(p.realism.size() - 1)));
      std::snprintf(buf, sizeof buf, "   realism %+.1f", p.realism[k]);
      out[i] += buf;
    }
  }
  return out;
}

}  // namespace lw::gui
