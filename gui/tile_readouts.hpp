// The live readout under each tile's label: where the walk is now, by the compare plots'
// metrics, so the comparison explains itself while it plays: the log-density relative to the
// walk's start (how far it has left the region the codes come from) and the discriminator's
// realism. Plain strings, no ImGui: tested without drawing.
#pragma once

#include <string>
#include <vector>

#include "gui/view_settings.hpp"

namespace lw::gui {

// One line per tile, "label   dlogp -31.2   realism -7.9" (metrics a model lacks left out); the
// bare labels while the plots are not computed.
std::vector<std::string> tile_readouts(const ViewStatus& status);

}  // namespace lw::gui
