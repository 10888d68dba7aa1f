#include "gui/scene_edits.hpp"

#include <algorithm>
#include <sstream>

namespace lw::gui {

void add_tile(Preset& scene, int& selected) {
  if (scene.tiles.empty() || scene.tiles.size() >= static_cast<std::size_t>(kMaxPresetTiles)) return;
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
}

void set_walk_kind(TilePreset& tile, WalkKind kind, const std::vector<DirectionEntry>& directions, int seed) {
  tile.walk = kind;
  const bool direction_walk = kind == WalkKind::Linear || kind == WalkKind::DensityPreserving;
  if (direction_walk && tile.direction.empty() && !directions.empty()) {
    tile.direction = directions.front().ref.direction;
    tile.row = directions.front().ref.row;
  }
  if (kind == WalkKind::Keyframes && tile.keyframes.size() < 2) tile.keyframes = {seed, seed + 1, seed + 2};
}

void set_alpha(Preset& scene, const DirectionRef& ref, float alpha) {
  auto it = std::find_if(scene.edits.begin(), scene.edits.end(), [&](const EditPreset& e) { return e.ref == ref; });
  if (alpha == 0.f) {
    if (it != scene.edits.end()) scene.edits.erase(it);
  } else if (it != scene.edits.end()) {
    it->alpha = alpha;
  } else {
    scene.edits.push_back({ref, alpha});
  }
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

double tap_tempo(std::vector<double>& taps, double now) {
  if (!taps.empty() && now - taps.back() > 2.0) taps.clear();
  taps.push_back(now);
  if (taps.size() > 8) taps.erase(taps.begin(), taps.end() - 8);
  if (taps.size() < 2) return 0.0;
  return 60.0 * static_cast<double>(taps.size() - 1) / (taps.back() - taps.front());
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
