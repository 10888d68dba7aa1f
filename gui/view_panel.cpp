#include "gui/view_panel.hpp"

#include <imgui.h>

#include <algorithm>

#include "gui/panels.hpp"
#include "core/space.hpp"
#include "gui/stage_layout.hpp"

namespace lw::gui {

void ViewPanel::draw(const ViewStatus& s, ViewSettings& settings) {
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  const StageLayout layout = stage_layout(display.x, display.y, settings.ui_scale, true, true);
  settings.drawn_windows.clear();
  ImGui::SetNextWindowPos(ImVec2(layout.sidebar.x, layout.sidebar.y), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(layout.sidebar.width, layout.sidebar.height), ImGuiCond_Always);
  ImGui::Begin("latentwalk", nullptr, ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoCollapse);
  ImGui::Text("%s  %s  %dx%d", s.session.model.c_str(), space_label(parse_space(settings.scene.space)).c_str(),
              s.session.width, s.session.height);
  ImGui::SameLine();
  ImGui::TextDisabled("(%s)", s.sink.c_str());
  if (!s.scene_error.empty()) ImGui::TextColored(ImVec4(1.f, 0.45f, 0.35f, 1.f), "not applied: %s", s.scene_error.c_str());
  if (!s.message.empty()) ImGui::TextWrapped("%s", s.message.c_str());
  if (ImGui::BeginTabBar("panels")) {
    // Each tab, brought to the front once when settings.open_panel names it.
    auto tab = [&](const char* label, const char* key, auto&& draw) {
      const ImGuiTabItemFlags flags = settings.open_panel == key ? ImGuiTabItemFlags_SetSelected : 0;
      if (ImGui::BeginTabItem(label, nullptr, flags)) {
        draw();
        ImGui::EndTabItem();
      }
    };
    tab("Walk", "walk", [&] { draw_walk_panel(s, settings); });
    tab("Directions", "directions", [&] { draw_directions_panel(s, settings); });
    tab("Model", "model", [&] { draw_model_panel(s, settings); });
    tab("Presets", "presets", [&] { draw_presets_panel(s, settings); });
    tab("Controls", "controls", [&] { draw_controls_panel(s, settings); });
    tab("Performance", "performance", [&] { draw_performance_panel(s, plot_); });
    settings.open_panel.clear();
    ImGui::EndTabBar();
  }
  ImGui::TextDisabled("space: play  Tab: UI  arrows: step");
  ImGui::TextDisabled("F: fullscreen  S: screenshot  click: select tile");
  ImGui::TextDisabled("Ctrl +/-: UI scale (%.2f)", settings.ui_scale);
  settings.drawn_windows.push_back({ImGui::GetWindowPos().x, ImGui::GetWindowPos().y, ImGui::GetWindowSize().x, ImGui::GetWindowSize().y});
  ImGui::End();
  draw_compare_window(s, layout.plots, settings.drawn_windows);

  // The selected tile's outline, when there is a choice.
  if (s.tiles.size() > 1 && settings.selected_tile >= 0 && settings.selected_tile < static_cast<int>(s.tiles.size())) {
    const auto& r = s.tiles[static_cast<std::size_t>(settings.selected_tile)];
    ImGui::GetBackgroundDrawList()->AddRect(ImVec2(r.x - 2.f, r.y - 2.f), ImVec2(r.x + r.width + 2.f, r.y + r.height + 2.f),
                                            IM_COL32(255, 210, 80, 230), 0.f, 0, 2.f);
  }
}

void draw_tile_labels(std::span<const renderer::Rect> tiles, std::span<const std::string> labels) {
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  const std::size_t n = std::min(tiles.size(), labels.size());
  for (std::size_t i = 0; i < n; ++i) {
    // Bottom-left corner: the panel sits top-left and would cover a label there.
    const ImVec2 size = ImGui::CalcTextSize(labels[i].c_str());
    const ImVec2 at(tiles[i].x + 6.f, tiles[i].y + tiles[i].height - size.y - 6.f);
    // Within its own tile: a long readout at a large UI scale is cut, not written over the next.
    draw->PushClipRect(ImVec2(tiles[i].x, tiles[i].y), ImVec2(tiles[i].x + tiles[i].width, tiles[i].y + tiles[i].height), true);
    draw->AddRectFilled(ImVec2(at.x - 3, at.y - 1), ImVec2(at.x + size.x + 3, at.y + size.y + 1), IM_COL32(0, 0, 0, 160), 3.f);
    draw->AddText(at, IM_COL32(255, 255, 255, 255), labels[i].c_str());
    draw->PopClipRect();
  }
}

int tile_at(std::span<const renderer::Rect> tiles, float x, float y) {
  for (std::size_t i = 0; i < tiles.size(); ++i) {
    const auto& r = tiles[i];
    if (x >= r.x && x < r.x + r.width && y >= r.y && y < r.y + r.height) return static_cast<int>(i);
  }
  return -1;
}

void apply_view_input(std::span<const renderer::Rect> tiles, ViewSettings& settings) {
  const ImGuiIO& io = ImGui::GetIO();
  if (ImGui::IsMouseClicked(ImGuiMouseButton_Left) && !io.WantCaptureMouse) {
    const int hit = tile_at(tiles, io.MousePos.x, io.MousePos.y);
    if (hit >= 0) settings.selected_tile = hit;
  }
  if (io.WantTextInput) return;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false)) settings.playing = !settings.playing;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Tab), false)) settings.show_ui = !settings.show_ui;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow), true)) settings.commands.push_back({Command::Kind::Step, "", -1});
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow), true)) settings.commands.push_back({Command::Kind::Step, "", 1});
  // Letters by their window-system key codes (GLFW's are ASCII): this ImGui names no letter keys.
  if (ImGui::IsKeyPressed('F', false)) settings.fullscreen = !settings.fullscreen;
  // Ctrl and + (or =) / - : the UI larger or smaller (GLFW's key codes: '=' 61, '-' 45, keypad 334 / 333).
  if (io.KeyCtrl && (ImGui::IsKeyPressed('=', false) || ImGui::IsKeyPressed(334, false)))
    settings.ui_scale = clamp_ui_scale(settings.ui_scale * 1.25f);
  if (io.KeyCtrl && (ImGui::IsKeyPressed('-', false) || ImGui::IsKeyPressed(333, false)))
    settings.ui_scale = clamp_ui_scale(settings.ui_scale / 1.25f);
  if (ImGui::IsKeyPressed('S', false)) settings.commands.push_back({Command::Kind::Screenshot});
}

}  // namespace lw::gui
