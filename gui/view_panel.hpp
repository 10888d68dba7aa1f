// The render loop's overlay: model, sink and device, fps, the frame-time breakdown as numbers
// and a plot, and the walk's controls (seed, play/pause, stride). Tile labels are drawn under
// every window so they stay when the panel is hidden.
#pragma once

#include <span>
#include <string>
#include <vector>

#include "gui/view_settings.hpp"
#include "renderer/tile_layout.hpp"

namespace lw::gui {

class ViewPanel {
 public:
  // Builds the panel for this UI frame; edits `settings` in place.
  void draw(const ViewStatus& status, ViewSettings& settings);

 private:
  std::vector<float> plot_;  // plot samples, reused every frame
};
// Writes each label at the bottom-left corner of its tile.
void draw_tile_labels(std::span<const renderer::Rect> tiles, std::span<const std::string> labels);
// The viewer's keys: space toggles play/pause, Tab hides or shows the UI, left and right arrows
// step a frame back or forward, F toggles fullscreen, S asks for a screenshot. Not while a text
// field has the keyboard.
void apply_view_keys(ViewSettings& settings);

}  // namespace lw::gui
