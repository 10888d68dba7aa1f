// The Directions panel's list for one space of a model: its InterFaceGAN boundaries
// (MODEL/boundaries/<space>/*.npy, by attribute name), its discovered DP-LaSE directions
// (MODEL/dplase/<space>/directions.npy, one entry per row) and the files the user opened that
// fit the space. W+ uses W's directions.
#pragma once

#include <filesystem>
#include <vector>

#include "core/base/npy.hpp"
#include "core/space.hpp"
#include "app/stage/stage_status.hpp"

namespace lw::plugin {
struct Model;
}

namespace lw::stage {

class DirectionLibrary {
 public:
  // Every entry for `space`; opened files of another dimension are left out.
  // `files`: each file is read once.
  std::vector<DirectionEntry> entries(const plugin::Model& model, Space space, NpyCache& files) const;
  // Adds every row of a [k, d] or [d] .npy; throws naming the file when it does not load or has
  // another dimension than `space`'s. Returns how many rows it added.
  int open(const std::filesystem::path& file, const plugin::Model& model, Space space, NpyCache& files);

 private:
  std::vector<std::filesystem::path> opened_;
};

// The same direction in another space of the model: a boundary or discovered file under
// MODEL/boundaries/<space> or MODEL/dplase/<space> named the same, when it exists; any other
// file unchanged. What the Model panel's space switch applies to every direction a preset names.
DirectionRef direction_in_space(const DirectionRef& ref, const plugin::Model& model, Space to);
// Every direction of the preset moved to its space (see direction_in_space).
void move_directions_to_space(Preset& p, const plugin::Model& model);

}  // namespace lw::stage
