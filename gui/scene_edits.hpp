// The edits the panels make to the walks (a Preset), as plain functions: what a click does is
// tested without drawing anything.
#pragma once

#include <string>
#include <vector>

#include "gui/view_settings.hpp"

namespace lw::gui {

// Adds a copy of the selected tile (up to kMaxPresetTiles) and selects it.
void add_tile(Preset& scene, int& selected);
// Removes the selected tile (never the last one); the selection stays in range. Fewer than two
// walks turn the difference tile off.
void remove_tile(Preset& scene, int& selected);
// How many walks fit beside the difference tile (when it is on), and whether it can be shown.
std::size_t max_walk_tiles(const Preset& scene);
bool can_show_difference(const Preset& scene);
// Another walk kind for a tile, with what that kind needs filled in when missing: a direction
// (the first listed) for direction walks, three keyframes from the scene's seed for keyframes.
// Leaving a direction walk drops a code start (a photo's): other kinds start from seeds.
void set_walk_kind(TilePreset& tile, WalkKind kind, const std::vector<DirectionEntry>& directions, int seed);
// The edit along `ref` set to alpha: its first non-zero alpha adds it (a new scene), later
// moves are parameter values, 0 included (saving drops edits at 0).
void set_alpha(Preset& scene, const DirectionRef& ref, float alpha);
float alpha_of(const Preset& scene, const DirectionRef& ref);
// Holds `ref` fixed (every direction is then conditioned on it) or releases it.
void set_held(Preset& scene, const DirectionRef& ref, bool held);
bool is_held(const Preset& scene, const DirectionRef& ref);
// Keyframe seeds as "1, 2, 3" and back; parsing leaves `out` alone unless every entry is a
// seed >= 0 and there are at least two.
std::string seeds_text(const std::vector<int>& seeds);
bool parse_seeds(const std::string& text, std::vector<int>& out);

}  // namespace lw::gui
