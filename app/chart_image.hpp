// Line charts drawn into an RGB image for reports such as compare-walks' plot: panels side by
// side, each with a title, axes with numbered ticks, one polyline with point markers per series
// and a legend, with text by ImageText (no window, no GPU).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/image.hpp"

namespace lw::app {

struct ChartSeries {
  std::string label;
  std::array<std::uint8_t, 3> colour{0, 0, 0};
  std::vector<double> x, y;
};

struct ChartPanel {
  std::string title, x_label;
  std::vector<ChartSeries> series;
};

ImageRGB8 draw_charts(const std::vector<ChartPanel>& panels, int panel_width = 380, int panel_height = 280);

}  // namespace lw::app
