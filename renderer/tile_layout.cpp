#include "renderer/tile_layout.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace lw::renderer {

std::vector<Rect> layout_tiles(int tiles, float target_w, float target_h, float image_w, float image_h, float gap) {
  if (tiles < 1 || tiles > 4) throw std::invalid_argument("a frame shows 1 to 4 tiles, asked for " + std::to_string(tiles));
  if (!(target_w > 0 && target_h > 0 && image_w > 0 && image_h > 0))
    throw std::invalid_argument("tile layout needs positive target and image sizes");
  const float cell_w = std::max(0.f, (target_w - gap * static_cast<float>(tiles - 1)) / static_cast<float>(tiles));
  const float scale = std::min(cell_w / image_w, target_h / image_h);
  const float w = image_w * scale, h = image_h * scale;
  std::vector<Rect> out;
  for (int i = 0; i < tiles; ++i) {
    const float cell_x = static_cast<float>(i) * (cell_w + gap);
    out.push_back({cell_x + (cell_w - w) * 0.5f, (target_h - h) * 0.5f, w, h});
  }
  return out;
}

}  // namespace lw::renderer
