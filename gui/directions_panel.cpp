// The Directions panel: every direction of the model's folders and any opened file, an alpha
// slider each (an edit every tile's code carries) and a tick to hold it fixed: every direction
// walked or edited along is then conditioned to leave the held ones alone.
#include <imgui.h>

#include <algorithm>

#include "gui/panels.hpp"
#include "gui/scene_edits.hpp"
#include "gui/widgets.hpp"

namespace lw::gui {

std::string direction_name(const ViewStatus& status, const DirectionRef& ref) {
  for (const auto& d : status.session.directions)
    if (d.ref == ref) return d.name;
  if (ref.direction.empty()) return "";
  const std::string file = ref.direction.substr(ref.direction.find_last_of('/') + 1);
  return file + "[" + std::to_string(ref.row) + "]";
}

void draw_directions_panel(const ViewStatus& status, ViewSettings& settings) {
  Preset& scene = settings.scene;
  if (status.session.directions.empty()) ImGui::TextWrapped("No directions for this space yet: open a [k, d] .npy below.");
  if (ImGui::BeginTable("directions", 3, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("hold", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("direction", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn("alpha", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    for (std::size_t i = 0; i < status.session.directions.size(); ++i) {
      const DirectionEntry& d = status.session.directions[i];
      ImGui::PushID(static_cast<int>(i));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      bool held = is_held(scene, d.ref);
      if (ImGui::Checkbox("##hold", &held)) set_held(scene, d.ref, held);
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("hold %s fixed: walks and edits are conditioned to leave it alone", d.name.c_str());
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(d.name.c_str());
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s row %d (%s)", d.ref.direction.c_str(), d.ref.row, d.group.c_str());
      ImGui::TableNextColumn();
      float alpha = alpha_of(scene, d.ref);
      ImGui::SetNextItemWidth(-1.f);
      if (ImGui::SliderFloat("##alpha", &alpha, -5.f, 5.f, "%+.2f")) set_alpha(scene, d.ref, alpha);
      if (ImGui::IsItemClicked(ImGuiMouseButton_Right)) set_alpha(scene, d.ref, 0.f);  // right click: back to 0
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  if (ImGui::Button("all alpha to 0"))
    for (auto& e : scene.edits) e.alpha = 0.f;
  ImGui::SameLine();
  if (ImGui::Button("hold none")) scene.hold.clear();
  ImGui::Separator();
  input_text("##direction file", settings.direction_path);
  ImGui::SameLine();
  if (ImGui::Button("open .npy")) settings.commands.push_back({Command::Kind::OpenDirection, settings.direction_path});
}

}  // namespace lw::gui
