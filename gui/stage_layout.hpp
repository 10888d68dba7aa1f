// Where the viewer's panels and tiles go, so that no panel covers a tile: the panels in a side
// bar on the left, the compare plots in a strip under the tiles, the tiles letterboxed in what
// is left. Tab hides the UI and the tiles take the whole target. Sizes grow with the UI scale,
// within limits that keep the tiles visible on a small target (headless --ui at 512x288).
#pragma once

#include "renderer/tile_layout.hpp"

namespace lw::gui {

struct StageLayout {
  renderer::Rect sidebar, plots, tiles;  // an empty rect: not shown
};

// `ui`: the panels are shown; `plots`: the compare plots are (they need a discriminator or a
// density to show).
StageLayout stage_layout(float width, float height, float ui_scale, bool ui, bool plots);

// The UI scale a display asks for (its content scale), kept within what the layout can hold.
float clamp_ui_scale(float scale);

}  // namespace lw::gui
