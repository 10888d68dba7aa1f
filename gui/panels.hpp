// The viewer's panels, each a tab of the main window (Compare has its own window over the
// tiles). Each draws from the status and edits the settings in place; none touches the loop.
#pragma once

#include <vector>

#include "gui/view_settings.hpp"

namespace lw::gui {

void draw_walk_panel(const ViewStatus& status, ViewSettings& settings);        // tiles, walks, clock
void draw_directions_panel(const ViewStatus& status, ViewSettings& settings);  // alpha sliders, holds
void draw_model_panel(const ViewStatus& status, ViewSettings& settings);       // model, space, truncation
void draw_presets_panel(const ViewStatus& status, ViewSettings& settings);     // save, load, record
void draw_controls_panel(const ViewStatus& status, ViewSettings& settings);    // bindings, learning, live inputs
// `scratch`: plot samples, reused every frame.
void draw_performance_panel(const ViewStatus& status, std::vector<float>& scratch);
// Path plots in the strip under the tiles; the window's rect is added to `drawn`.
void draw_compare_window(const ViewStatus& status, const renderer::Rect& strip, std::vector<renderer::Rect>& drawn);

// The names a direction is known by in the list, or its file's name and row.
std::string direction_name(const ViewStatus& status, const DirectionRef& ref);

}  // namespace lw::gui
