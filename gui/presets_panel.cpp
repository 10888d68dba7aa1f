// The Presets panel: save the walks as they are set now, load a preset (the same file
// `latentwalk record` renders), render one to video in the background, capture live.
#include <imgui.h>

#include "gui/panels.hpp"
#include "gui/widgets.hpp"

namespace lw::gui {

void draw_presets_panel(const ViewStatus& s, ViewSettings& settings) {
  input_text("##preset", settings.preset_path);
  ImGui::SameLine();
  if (ImGui::Button("save")) settings.commands.push_back({Command::Kind::SavePreset, settings.preset_path});
  ImGui::SameLine();
  if (ImGui::Button("load")) settings.commands.push_back({Command::Kind::LoadPreset, settings.preset_path});
  if (!s.session.preset_files.empty()) {
    ImGui::TextDisabled("presets found (click to load)");
    if (ImGui::BeginListBox("##found", ImVec2(-1.f, 4.5f * ImGui::GetTextLineHeightWithSpacing()))) {
      for (const auto& file : s.session.preset_files)
        if (ImGui::Selectable(file.c_str(), file == settings.preset_path)) {
          settings.preset_path = file;
          settings.commands.push_back({Command::Kind::LoadPreset, settings.preset_path});
        }
      ImGui::EndListBox();
    }
  }
  ImGui::Separator();
  ImGui::BeginDisabled(s.recording);
  if (ImGui::Button("record preset")) settings.commands.push_back({Command::Kind::Record});
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("renders the walk as it is set now to an H.264 video, frame exact, in the background");
  ImGui::SameLine();
  if (ImGui::Checkbox("live capture", &settings.capture)) settings.commands.push_back({Command::Kind::Capture, "", 0, settings.capture});
  if (!s.record_status.empty()) ImGui::TextWrapped("%s", s.record_status.c_str());
  if (!s.capture_status.empty()) ImGui::TextWrapped("%s", s.capture_status.c_str());
}

}  // namespace lw::gui
