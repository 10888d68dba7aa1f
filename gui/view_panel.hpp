// The viewer's overlay: the main window (status, then the Walk, Directions, Model, Presets and
// Performance panels as tabs), the Compare window over the tiles, the tiles' labels and the
// selected tile's outline. Tile labels are drawn under every window so they stay when the UI is
// hidden.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "gui/view_settings.hpp"
#include "renderer/tile_layout.hpp"

namespace lw::gui {

class ViewPanel {
 public:
  // Builds the UI for this frame; edits `settings` in place.
  void draw(const ViewStatus& status, ViewSettings& settings);

 private:
  std::vector<float> plot_;  // plot samples, reused every frame
};
// Writes each label at the bottom-left corner of its tile.
void draw_tile_labels(std::span<const renderer::Rect> tiles, std::span<const std::string> labels);
// The tile under (x, y), or -1.
int tile_at(std::span<const renderer::Rect> tiles, float x, float y);
// The viewer's keys and mouse: space toggles play/pause, Tab hides or shows the UI, left and
// right arrows step a frame back or forward, F toggles fullscreen, S asks for a screenshot (not
// while a text field has the keyboard); a click on a tile, outside every window, selects it.
void apply_view_input(std::span<const renderer::Rect> tiles, ViewSettings& settings);

}  // namespace lw::gui
