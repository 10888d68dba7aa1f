// Which latent space a direction file belongs to. Z and W of one size would take each other's
// directions without a word, so latentwalk writes a sidecar NAME.json beside every boundary it
// writes ({"space": "w", ...}), and a folder named for a space (MODEL/boundaries/w, dplase/z)
// says it too. A bare file elsewhere (InterFaceGAN's .npy) says nothing and loads as it is.
#pragma once

#include <filesystem>
#include <optional>

#include <nlohmann/json_fwd.hpp>

#include "core/space.hpp"

namespace lw {

// The space the sidecar records, else the folder's name when it is a model's (boundaries/w,
// dplase/z); nullopt when neither says. Throws
// naming the sidecar when it is not JSON or names no known space.
std::optional<Space> recorded_space(const std::filesystem::path& npy);

// The space `--space auto` walks or edits a direction file in: the one it records, else W
// when the model has it (`w_available`), else Z.
Space auto_space(const std::filesystem::path& npy, bool w_available);

// Writes NPY's sidecar (NAME.json): `about` (what made it: attribute, accuracy ...) with "space".
void write_direction_sidecar(const std::filesystem::path& npy, Space space, const nlohmann::json& about);

// Throws when the file's recorded space is not the one `used` (W+ uses W's directions), saying
// which and how to pass the right one.
void check_direction_space(const std::filesystem::path& npy, Space used);

}  // namespace lw
