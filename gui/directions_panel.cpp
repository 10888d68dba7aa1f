// The Directions panel: every direction of the model's folders and any opened file, an alpha
// slider each (an edit every tile's code carries) and a tick to hold it fixed: every direction
// walked or edited along is then conditioned to leave the held ones alone.
#include <imgui.h>

#include <algorithm>

#include "gui/panels.hpp"
#include "gui/scene_edits.hpp"
#include "core/scene_parameters.hpp"
#include "gui/widgets.hpp"

namespace lw::gui {

std::string direction_name(const ViewStatus& status, const DirectionRef& ref) {
  for (const auto& d : status.session.directions)
    if (d.ref == ref) return d.name;
  if (ref.direction.empty()) return "";
  const std::string file = ref.direction.substr(ref.direction.find_last_of('/') + 1);
  return file + "[" + std::to_string(ref.row) + "]";
}

namespace {

// One direction's alpha slider, full width of where it is drawn; middle click sets it back to 0,
// right click learns its source.
void alpha_slider(const ViewStatus& status, ViewSettings& settings, const DirectionEntry& d, DirectionsFit& fit) {
  Preset& scene = settings.scene;
  float alpha = alpha_of(scene, d.ref);
  ImGui::SetNextItemWidth(-1.f);
  if (ImGui::SliderFloat("##alpha", &alpha, -5.f, 5.f, "%+.2f")) set_alpha(scene, d.ref, alpha);
  if (ImGui::IsItemClicked(ImGuiMouseButton_Middle)) set_alpha(scene, d.ref, 0.f);  // middle click: back to 0
  bindable("/edit/" + edit_parameter_name(d.ref) + "/alpha", status, settings);
  const float width = ImGui::GetItemRectSize().x;
  fit.narrowest_slider = fit.listed == 0 ? width : std::min(fit.narrowest_slider, width);
}

}  // namespace

void draw_directions_panel(const ViewStatus& status, ViewSettings& settings) {
  Preset& scene = settings.scene;
  DirectionsFit fit;
  if (status.session.directions.empty()) ImGui::TextWrapped("No directions for this space yet: open a [k, d] .npy below.");
  // Name and slider side by side when both fit (a slider at least 8 em wide); else the slider
  // goes under its name, so no name is cut off on a narrow side bar or at a large UI scale.
  float widest = 0.f;
  for (const auto& d : status.session.directions) widest = std::max(widest, ImGui::CalcTextSize(d.name.c_str()).x);
  const ImGuiStyle& style = ImGui::GetStyle();
  const float hold_column = std::max(ImGui::GetFrameHeight(), ImGui::CalcTextSize("hold").x);
  const float side_by_side = hold_column + widest + 8.f * ImGui::GetFontSize() + 4.f * style.CellPadding.x +
                             2.f * style.ItemSpacing.x;
  fit.stacked = side_by_side > ImGui::GetContentRegionAvail().x;
  const int columns = fit.stacked ? 2 : 3;
  if (ImGui::BeginTable("directions", columns, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("hold", ImGuiTableColumnFlags_WidthFixed);
    ImGui::TableSetupColumn(fit.stacked ? "direction, alpha" : "direction",
                            fit.stacked ? ImGuiTableColumnFlags_WidthStretch : ImGuiTableColumnFlags_WidthFixed);
    if (!fit.stacked) ImGui::TableSetupColumn("alpha", ImGuiTableColumnFlags_WidthStretch);
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
      if (ImGui::CalcTextSize(d.name.c_str()).x > ImGui::GetContentRegionAvail().x + 0.5f) ++fit.clipped_names;
      ImGui::TextUnformatted(d.name.c_str());
      if (ImGui::IsItemHovered())
        ImGui::SetTooltip("%s%s%s row %d (%s)", d.about.c_str(), d.about.empty() ? "" : "\n", d.ref.direction.c_str(),
                          d.ref.row, d.group.c_str());
      if (!fit.stacked) ImGui::TableNextColumn();
      alpha_slider(status, settings, d, fit);
      ++fit.listed;
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  settings.directions_fit = fit;
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
