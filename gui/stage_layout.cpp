#include "gui/stage_layout.hpp"

#include <algorithm>

namespace lw::gui {

float clamp_ui_scale(float scale) { return std::clamp(scale, 0.5f, 4.f); }

StageLayout stage_layout(float width, float height, float ui_scale, bool ui, bool plots) {
  StageLayout l;
  l.tiles = {0.f, 0.f, width, height};
  if (!ui) return l;
  const float s = clamp_ui_scale(ui_scale);
  // At most 40% of the width and 35% of the height go to the UI: the tiles keep the rest.
  const float side = std::min(360.f * s, 0.4f * width);
  const float strip = plots ? std::min(120.f * s, 0.35f * height) : 0.f;
  l.sidebar = {0.f, 0.f, side, height};
  if (plots) l.plots = {side, height - strip, width - side, strip};
  l.tiles = {side, 0.f, width - side, height - strip};
  return l;
}

}  // namespace lw::gui
