#include "gui/scene_edits.hpp"

#include <algorithm>
#include <sstream>

namespace lw::gui {

void add_tile(Preset& scene, int& selected) {
  if (scene.tiles.empty() || scene.tiles.size() >= max_walk_tiles(scene)) return;
  selected = std::clamp(selected, 0, static_cast<int>(scene.tiles.size()) - 1);
  TilePreset copy = scene.tiles[static_cast<std::size_t>(selected)];
  copy.label = "tile " + std::to_string(scene.tiles.size() + 1);
  scene.tiles.push_back(copy);
  selected = static_cast<int>(scene.tiles.size()) - 1;
}

void remove_tile(Preset& scene, int& selected) {
  if (scene.tiles.size() <= 1) return;
  selected = std::clamp(selected, 0, static_cast<int>(scene.tiles.size()) - 1);
  scene.tiles.erase(scene.tiles.begin() + selected);
  selected = std::min(selected, static_cast<int>(scene.tiles.size()) - 1);
  if (scene.tiles.size() < 2) scene.difference = false;  // nothing left to compare
}

std::size_t max_walk_tiles(const Preset& scene) {
  return static_cast<std::size_t>(kMaxPresetTiles) - (scene.difference ? 1 : 0);
}

bool can_show_difference(const Preset& scene) {
  return scene.tiles.size() >= 2 && scene.tiles.size() < static_cast<std::size_t>(kMaxPresetTiles);
}

void set_walk_kind(TilePreset& tile, WalkKind kind, const std::vector<DirectionEntry>& directions, int seed) {
  tile.walk = kind;
  const bool direction_walk = kind == WalkKind::Linear || kind == WalkKind::DensityPreserving;
  if (direction_walk && tile.direction.empty() && !directions.empty()) {
    tile.direction = directions.front().ref.direction;
    tile.row = directions.front().ref.row;
  }
  if (kind == WalkKind::Keyframes && tile.keyframes.size() < 2) tile.keyframes = {seed, seed + 1, seed + 2};
  // Only direction walks start from a code (a photo's, a file's or one sent): other kinds start
  // from seeds, and a code left behind would come back unasked when the kind does.
  if (!direction_walk) tile.start_file.clear(), tile.start_code.clear();
}

void set_alpha(Preset& scene, const DirectionRef& ref, float alpha) {
  auto it = std::find_if(scene.edits.begin(), scene.edits.end(), [&](const EditPreset& e) { return e.ref == ref; });
  // An edit at 0 stays (moving through 0 is a value, not a new scene); a save drops it.
  if (it != scene.edits.end()) it->alpha = alpha;
  else if (alpha != 0.f) scene.edits.push_back({ref, alpha});
}

float alpha_of(const Preset& scene, const DirectionRef& ref) {
  const auto it = std::find_if(scene.edits.begin(), scene.edits.end(), [&](const EditPreset& e) { return e.ref == ref; });
  return it == scene.edits.end() ? 0.f : it->alpha;
}

void set_held(Preset& scene, const DirectionRef& ref, bool held) {
  const auto it = std::find(scene.hold.begin(), scene.hold.end(), ref);
  if (held && it == scene.hold.end()) scene.hold.push_back(ref);
  if (!held && it != scene.hold.end()) scene.hold.erase(it);
}

bool is_held(const Preset& scene, const DirectionRef& ref) {
  return std::find(scene.hold.begin(), scene.hold.end(), ref) != scene.hold.end();
}

std::string seeds_text(const std::vector<int>& seeds) {
  std::ostringstream s;
  for (std::size_t i = 0; i < seeds.size(); ++i) s << (i ? ", " : "") << seeds[i];
  return s.str();
}

bool parse_seeds(const std::string& text, std::vector<int>& out) {
  std::vector<int> seeds;
  const auto last = text.find_last_not_of(" \t");
  if (last == std::string::npos || text[last] == ',') return false;  // an empty entry at the end
  std::stringstream s(text);
  std::string item;
  while (std::getline(s, item, ',')) {
    std::size_t used = 0;
    try {
      const int v = std::stoi(item, &used);
      if (v < 0 || item.find_first_not_of(" \t", used) != std::string::npos) return false;
      seeds.push_back(v);
    } catch (const std::exception&) {
      return false;
    }
  }
  if (seeds.size() < 2) return false;
  out = seeds;
  return true;
}

}  // namespace lw::gui
