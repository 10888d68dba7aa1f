// Where the default model is, so every command works from any folder: $LATENTWALK_MODEL when
// set; else the model beside the executable (an installed tree's
// ../share/latentwalk/models/synthfaces, the build tree's ../assets/models/synthfaces); else
// assets/models/synthfaces under the current folder.
#pragma once

#include <filesystem>

namespace lw::app {

std::filesystem::path default_model_folder();
// The folder of a --model value: the folder itself, or the one holding a .pt file.
std::filesystem::path model_folder_of(const std::filesystem::path& model);

}  // namespace lw::app
