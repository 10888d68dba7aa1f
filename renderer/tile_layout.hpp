// Where the 1-4 tiles of a frame go: side by side, each letterboxed to keep its image's aspect.
#pragma once

#include <vector>

namespace lw::renderer {

struct Rect {
  float x = 0, y = 0, width = 0, height = 0;  // pixels, origin top-left
};

// Splits a target of `target_w` x `target_h` pixels into `tiles` equal columns separated by
// `gap` pixels, and fits an image of `image_w` x `image_h` into each, centred, aspect kept.
std::vector<Rect> layout_tiles(int tiles, float target_w, float target_h, float image_w, float image_h, float gap = 0.f);

}  // namespace lw::renderer
