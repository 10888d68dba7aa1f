// Files dropped on the viewer's window, as the commands they ask for: a photo (.png) starts the
// direction walks from its inversion, a preset (.json) is loaded, directions (.npy) join the
// Directions list, a model (a folder or .pt) is opened. No ImGui: tested headless.
#pragma once

#include <filesystem>
#include <optional>

#include "gui/view_settings.hpp"

namespace lw::gui {

// nullopt: no kind of file the viewer opens (dropped_files_hint says which are).
std::optional<Command> command_for_dropped(const std::filesystem::path& file);
inline constexpr const char* dropped_files_hint =
    "drop a photo (.png), a preset (.json), directions (.npy) or a model (a folder or .pt; a StyleGAN .pkl: "
    "latentwalk import it first)";

}  // namespace lw::gui
