#include "core/scene_parameters.hpp"

#include <algorithm>
#include <filesystem>

namespace lw {

namespace {

std::string path_word(const std::string& text) {
  std::string out;
  for (const char c : text) {
    if (c >= 'A' && c <= 'Z') out += static_cast<char>(c - 'A' + 'a');
    else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-') out += c;
    else out += '_';
  }
  return out.empty() ? "edit" : out;
}

ParamInfo info(std::string path, double min, double max, double value, std::string unit, std::string help) {
  return {std::move(path), ParamType::Float, min, max, value, std::move(unit), std::move(help)};
}

// Every parameter of `p` with its value in p, in registration order.
std::vector<ParamInfo> parameters_of(const Preset& p) {
  std::vector<ParamInfo> out{
      info("/clock/speed", 0.0, 16.0, p.speed, "x", "walk seconds per clock second"),
      info("/clock/bpm", 0.0, 400.0, p.bpm, "bpm", "above 0: periods and segments count beats at this tempo"),
      info("/model/truncation", 0.0, 2.0, p.truncation, "", "psi: w_avg + psi (w - w_avg) before synthesis"),
      info("/model/rotate", -360.0, 360.0, p.rotate, "deg", "StyleGAN3: the image rotated"),
      info("/model/translate_x", -4.0, 4.0, p.translate[0], "", "StyleGAN3: the image moved sideways"),
      info("/model/translate_y", -4.0, 4.0, p.translate[1], "", "StyleGAN3: the image moved up or down"),
      info("/view/difference_gain", 1.0, 32.0, p.difference_gain, "x", "the difference tile: |tile 1 - tile 2| times this"),
  };
  for (std::size_t i = 0; i < p.tiles.size(); ++i) {
    const auto& t = p.tiles[i];
    const std::string tile = "/tile/" + std::to_string(i + 1) + "/";
    out.push_back(info(tile + "stride", 0.0, 100.0, t.stride, "", "direction walks: eps sweeps -stride..stride; random: the step"));
    out.push_back(info(tile + "period", 0.01, 3600.0, t.period, "s", "seconds (beats with a bpm) of one ping-pong or noise loop"));
    out.push_back(info(tile + "segment", 0.01, 3600.0, t.segment, "s", "seconds (beats with a bpm) per keyframe or random knot"));
  }
  const auto names = edit_parameter_names(p);
  for (std::size_t i = 0; i < p.edits.size(); ++i)
    out.push_back(info("/edit/" + names[i] + "/alpha", -100.0, 100.0, p.edits[i].alpha, "", "the edit along " + names[i]));
  return out;
}

}  // namespace

std::string edit_parameter_name(const DirectionRef& ref) {
  std::string name = path_word(std::filesystem::path(ref.direction).stem().string());
  if (ref.row > 0) name += "_r" + std::to_string(ref.row);
  return name;
}

std::vector<std::string> edit_parameter_names(const Preset& p) {
  std::vector<std::string> names;
  for (const auto& e : p.edits) {
    const std::string name = edit_parameter_name(e.ref);
    std::string unique = name;
    for (int n = 2; std::find(names.begin(), names.end(), unique) != names.end(); ++n) unique = name + "_" + std::to_string(n);
    names.push_back(unique);
  }
  return names;
}

SceneParameters register_scene_parameters(ParameterRegistry& registry, const Preset& p) {
  registry.clear();
  const auto params = parameters_of(p);
  std::vector<int> index;
  for (auto info : params) {
    // A value outside the range it is registered with (a preset file may hold one) is clamped.
    const double value = info.default_value;
    info.default_value = std::clamp(value, info.min, info.max);
    index.push_back(registry.add(info));
  }
  SceneParameters s;
  s.speed = index[0], s.bpm = index[1], s.truncation = index[2], s.rotate = index[3];
  s.translate_x = index[4], s.translate_y = index[5], s.difference_gain = index[6];
  std::size_t k = 7;
  for (std::size_t i = 0; i < p.tiles.size(); ++i, k += 3) s.tiles.push_back({index[k], index[k + 1], index[k + 2]});
  for (std::size_t i = 0; i < p.edits.size(); ++i) s.edit_alpha.push_back(index[k++]);
  return s;
}

void write_parameter_values(Preset& p, const SceneParameters& s, const std::vector<double>& v) {
  auto at = [&](int i) { return v.at(static_cast<std::size_t>(i)); };
  p.speed = at(s.speed);
  p.bpm = at(s.bpm);
  p.truncation = static_cast<float>(at(s.truncation));
  p.rotate = static_cast<float>(at(s.rotate));
  p.translate = {static_cast<float>(at(s.translate_x)), static_cast<float>(at(s.translate_y))};
  p.difference_gain = static_cast<float>(at(s.difference_gain));
  for (std::size_t i = 0; i < p.tiles.size() && i < s.tiles.size(); ++i) {
    p.tiles[i].stride = static_cast<float>(at(s.tiles[i].stride));
    p.tiles[i].period = static_cast<float>(at(s.tiles[i].period));
    p.tiles[i].segment = static_cast<float>(at(s.tiles[i].segment));
  }
  for (std::size_t i = 0; i < p.edits.size() && i < s.edit_alpha.size(); ++i)
    p.edits[i].alpha = static_cast<float>(at(s.edit_alpha[i]));
}

std::vector<std::pair<int, double>> parameter_changes(const Preset& edited, const Preset& current,
                                                      const ParameterRegistry& registry) {
  ParameterRegistry moved, held;
  register_scene_parameters(moved, edited);
  register_scene_parameters(held, current);
  std::vector<std::pair<int, double>> out;
  for (int i = 0; i < moved.size(); ++i) {
    const auto j = registry.find(moved.info(i).path);
    const auto h = held.find(moved.info(i).path);
    if (j && h && moved.value(i) != held.value(*h)) out.emplace_back(*j, moved.value(i));
  }
  return out;
}

Preset structure_of(Preset p) {
  const Preset defaults;
  const TilePreset tile_defaults;
  p.speed = defaults.speed, p.bpm = defaults.bpm, p.truncation = defaults.truncation;
  p.rotate = defaults.rotate, p.translate = defaults.translate, p.difference_gain = defaults.difference_gain;
  // The clock's record length is not drawn: not structure either.
  p.duration = defaults.duration;
  for (auto& t : p.tiles) t.stride = tile_defaults.stride, t.period = tile_defaults.period, t.segment = tile_defaults.segment;
  for (auto& e : p.edits) e.alpha = 0.f;
  p.bindings.clear();  // they move parameters; the scene never sees them
  return p;
}

}  // namespace lw
