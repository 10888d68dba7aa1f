// A preset split in two: its structure (model, space, files, seeds, tiles and their kinds,
// which edits and holds exist), whose change rebuilds the scene off the render thread, and its
// parameter values (stride, period, alpha, speed, truncation, bpm, ...), registered here and read
// by the scene every frame, so moving one rebuilds nothing. The paths, 1-based as a performer
// counts tiles:
//   /clock/speed /clock/bpm /model/truncation /model/rotate /model/translate_x /model/translate_y
//   /view/difference_gain
//   /tile/N/stride /tile/N/period /tile/N/segment /edit/NAME/alpha (NAME: the direction file's
//   stem, "_rR" for row R > 0, "_2" ... when two edits share a name)
#pragma once

#include <string>
#include <vector>

#include "core/parameters.hpp"
#include "core/preset.hpp"

namespace lw {

// Where each of a scene's parameters sits in the registry.
struct SceneParameters {
  int speed = -1, bpm = -1, truncation = -1, rotate = -1, translate_x = -1, translate_y = -1, difference_gain = -1;
  struct Tile {
    int stride = -1, period = -1, segment = -1;
  };
  std::vector<Tile> tiles;
  std::vector<int> edit_alpha;  // one per preset edit, in order
};

// Registers the parameters of `p` into `registry` (emptied first), each at p's value.
SceneParameters register_scene_parameters(ParameterRegistry& registry, const Preset& p);
// `p`'s parameter values taken from `values` (a registry's values()): what a save writes.
void write_parameter_values(Preset& p, const SceneParameters& layout, const std::vector<double>& values);
// The values `edited` moved away from `current` (the registry's values as a preset holds them,
// whose floats round a double, so a value nobody moved compares equal), as assignments
// (registry index, value) by path: a structure edit's moved values land on the paths both
// scenes have; paths `registry` lacks are left out.
std::vector<std::pair<int, double>> parameter_changes(const Preset& edited, const Preset& current,
                                                      const ParameterRegistry& registry);
// `p` with every parameter value set to its default: two presets with equal structure give equal
// results, and only a structure change needs a new scene.
Preset structure_of(Preset p);
// The name an edit along `ref` takes before any clash: the file's stem as a path word, "_rR"
// for row R > 0 (what /edit/NAME/alpha addresses).
std::string edit_parameter_name(const DirectionRef& ref);
// The names the edits' alpha parameters take, in order.
std::vector<std::string> edit_parameter_names(const Preset& p);

}  // namespace lw
