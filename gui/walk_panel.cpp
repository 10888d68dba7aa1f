// The Walk panel: which tile, what walk it takes and the clock all tiles share.
#include <imgui.h>

#include <algorithm>
#include <filesystem>

#include "gui/panels.hpp"
#include "gui/scene_edits.hpp"
#include "gui/widgets.hpp"

namespace lw::gui {

namespace {

constexpr const char* kKinds[] = {"linear", "density-preserving", "keyframes", "random walk", "noise loop"};
constexpr const char* kEasings[] = {"triangle", "sine", "smooth"};
constexpr const char* kInterpolations[] = {"linear", "slerp", "density-preserving"};

// The direction a tile walks along, from the Directions list.
void choose_direction(const ViewStatus& status, TilePreset& tile) {
  std::vector<std::string> names;
  int index = -1;
  for (std::size_t i = 0; i < status.session.directions.size(); ++i) {
    const auto& d = status.session.directions[i];
    names.push_back(d.name + "  (" + d.group + ")");
    if (d.ref == DirectionRef{tile.direction, tile.row}) index = static_cast<int>(i);
  }
  const std::string current = direction_name(status, {tile.direction, tile.row});
  if (choose("direction", index, names, current.c_str())) {
    tile.direction = status.session.directions[static_cast<std::size_t>(index)].ref.direction;
    tile.row = status.session.directions[static_cast<std::size_t>(index)].ref.row;
  }
}

}  // namespace

void draw_walk_panel(const ViewStatus& status, ViewSettings& settings) {
  Preset& scene = settings.scene;
  if (scene.tiles.empty()) return;
  settings.selected_tile = std::clamp(settings.selected_tile, 0, static_cast<int>(scene.tiles.size()) - 1);
  std::vector<std::string> tiles;
  for (std::size_t i = 0; i < scene.tiles.size(); ++i) tiles.push_back(std::to_string(i + 1) + ": " + scene.tiles[i].label);
  ImGui::SetNextItemWidth(ImGui::GetContentRegionAvail().x * 0.55f);
  choose("##tile", settings.selected_tile, tiles);
  ImGui::SameLine();
  ImGui::BeginDisabled(scene.tiles.size() >= max_walk_tiles(scene));
  if (ImGui::Button("+ tile")) add_tile(scene, settings.selected_tile);
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(scene.tiles.size() <= 1);
  if (ImGui::Button("- tile")) remove_tile(scene, settings.selected_tile);
  ImGui::EndDisabled();

  ImGui::BeginDisabled(!scene.difference && !can_show_difference(scene));
  ImGui::Checkbox("difference tile", &scene.difference);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("one more tile: |tile 1 - tile 2| per pixel, black where the two walks agree");
  if (scene.difference) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(-1.f);
    ImGui::SliderFloat("##gain", &scene.difference_gain, 1.f, 32.f, "gain %.0fx", ImGuiSliderFlags_Logarithmic);
    bindable("/view/difference_gain", status, settings);
  }
  TilePreset& tile = scene.tiles[static_cast<std::size_t>(settings.selected_tile)];
  input_text("label", tile.label);
  WalkKind kind = tile.walk;
  if (choose_enum("walk", kind, kKinds)) set_walk_kind(tile, kind, status.session.directions, scene.seed);
  const char* time_unit = scene.bpm > 0.0 ? "%.2f beats" : "%.2f s";
  const std::string tile_path = "/tile/" + std::to_string(settings.selected_tile + 1) + "/";
  switch (tile.walk) {
    case WalkKind::Linear:
    case WalkKind::DensityPreserving:
      choose_direction(status, tile);
      ImGui::SliderFloat("stride", &tile.stride, 0.f, 20.f, "%.2f");
      bindable(tile_path + "stride", status, settings);
      ImGui::SliderFloat("loop length", &tile.period, 0.25f, 32.f, time_unit, ImGuiSliderFlags_Logarithmic);
      bindable(tile_path + "period", status, settings);
      choose_enum("easing", tile.easing, kEasings);
      break;
    case WalkKind::Keyframes: {
      std::string text = seeds_text(tile.keyframes);
      if (input_text("keyframe seeds", text)) parse_seeds(text, tile.keyframes);
      ImGui::SliderFloat("segment", &tile.segment, 0.1f, 16.f, time_unit, ImGuiSliderFlags_Logarithmic);
      bindable(tile_path + "segment", status, settings);
      choose_enum("interpolation", tile.interpolation, kInterpolations);
      ImGui::Checkbox("loop back to the first", &tile.loop);
      break;
    }
    case WalkKind::Random:
      ImGui::SliderFloat("step", &tile.stride, 0.f, 10.f, "%.2f");
      bindable(tile_path + "stride", status, settings);
      ImGui::SliderFloat("segment", &tile.segment, 0.1f, 16.f, time_unit, ImGuiSliderFlags_Logarithmic);
      bindable(tile_path + "segment", status, settings);
      ImGui::InputInt("walk seed", &tile.walk_seed);
      break;
    case WalkKind::Noise:
      ImGui::SliderFloat("loop length", &tile.period, 0.25f, 64.f, time_unit, ImGuiSliderFlags_Logarithmic);
      bindable(tile_path + "period", status, settings);
      ImGui::InputInt("walk seed", &tile.walk_seed);
      break;
  }
  tile.walk_seed = std::max(tile.walk_seed, 0);
  const bool direction_walk = tile.walk == WalkKind::Linear || tile.walk == WalkKind::DensityPreserving;
  if (direction_walk && (!tile.start_file.empty() || !tile.start_code.empty())) {
    // A photo's inversion, a code file or a code sent over OSC: say which, and offer the seeds back.
    const std::string source = tile.start_file.empty()
                                   ? std::string("a code sent over OSC")
                                   : std::filesystem::path(tile.start_file).filename().string() + " row " + std::to_string(tile.start_row);
    ImGui::TextWrapped("starts from %s", source.c_str());
    if (ImGui::Button("start from seeds again")) tile.start_file.clear(), tile.start_code.clear();
  } else if (tile.walk != WalkKind::Keyframes) {
    bool own = tile.start_seed.has_value();
    if (ImGui::Checkbox("own start seed", &own)) tile.start_seed = own ? std::optional<int>(scene.seed) : std::nullopt;
    if (tile.start_seed) {
      ImGui::SameLine();
      ImGui::SetNextItemWidth(100.f);
      ImGui::InputInt("##start", &*tile.start_seed);
      *tile.start_seed = std::max(*tile.start_seed, 0);
    }
  }

  ImGui::Separator();
  ImGui::TextDisabled("clock (all tiles)");
  if (ImGui::Button(settings.playing ? "pause (space)" : "play (space)")) settings.playing = !settings.playing;
  ImGui::SameLine();
  ImGui::Text("t %.2f s  eps %+.2f", status.time, status.eps);
  ImGui::InputInt("seed", &scene.seed);
  scene.seed = std::max(scene.seed, 0);
  float speed = static_cast<float>(scene.speed);
  if (ImGui::SliderFloat("speed", &speed, 0.05f, 8.f, "%.2fx", ImGuiSliderFlags_Logarithmic)) scene.speed = speed;
  bindable("/clock/speed", status, settings);
  bool sync = scene.bpm > 0.0;
  if (ImGui::Checkbox("BPM sync", &sync)) scene.bpm = sync ? 120.0 : 0.0;
  if (sync) {
    ImGui::SameLine();
    ImGui::SetNextItemWidth(90.f);
    float bpm = static_cast<float>(scene.bpm);
    if (ImGui::DragFloat("##bpm", &bpm, 0.25f, 20.f, 400.f, "%.1f bpm")) scene.bpm = std::clamp(bpm, 20.f, 400.f);
    bindable("/clock/bpm", status, settings);
    ImGui::SameLine();
    if (ImGui::Button("tap")) settings.commands.push_back({Command::Kind::Tap});  // the stage's clock keeps the taps
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("tap along with the music: the tempo of the last taps");
    ImGui::SameLine();
    if (ImGui::Button("downbeat")) settings.commands.push_back({Command::Kind::Restart});
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("restart the clock now: every loop starts on this beat");
  }
  float duration = static_cast<float>(scene.duration);
  if (ImGui::DragFloat("record length", &duration, 0.1f, 0.5f, 3600.f, "%.1f s")) scene.duration = std::clamp(duration, 0.5f, 3600.f);
}

}  // namespace lw::gui
