#include "gui/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace lw::gui {

void bindable(const std::string& path, const ViewStatus& status, ViewSettings& settings) {
  const Binding* bound = nullptr;
  for (const auto& b : status.session.applied.bindings)
    if (b.target == path) bound = &b;
  const ImVec2 lo = ImGui::GetItemRectMin(), hi = ImGui::GetItemRectMax();
  ImDrawList* draw = ImGui::GetWindowDrawList();
  const float s = ImGui::GetFontSize();
  if (status.learning == path)  // waiting for a control: a yellow frame around the widget
    draw->AddRect(lo, hi, IM_COL32(255, 210, 0, 255), 2.f, 0, std::max(1.f, s / 8.f));
  if (bound) draw->AddCircleFilled(ImVec2(lo.x + s * 0.35f, (lo.y + hi.y) * 0.5f), s * 0.2f, IM_COL32(255, 140, 0, 255));
  if (bound && ImGui::IsItemHovered()) ImGui::SetTooltip("%s: bound to %s (right click: forget)", path.c_str(), describe_source(bound->source).c_str());
  if (ImGui::BeginPopupContextItem(path.c_str())) {
    if (ImGui::MenuItem(status.learning == path ? "stop learning" : "learn (move a MIDI control or send OSC)"))
      settings.commands.push_back({Command::Kind::Learn, status.learning == path ? "" : path});
    if (bound && ImGui::MenuItem("forget the binding")) settings.commands.push_back({Command::Kind::Unbind, path});
    ImGui::TextDisabled("%s", path.c_str());
    ImGui::EndPopup();
  }
}

bool input_text(const char* label, std::string& value) {
  std::array<char, 1024> buffer{};
  std::strncpy(buffer.data(), value.c_str(), buffer.size() - 1);
  if (!ImGui::InputText(label, buffer.data(), buffer.size())) return false;
  value = buffer.data();
  return true;
}

bool choose(const char* label, int& index, const std::vector<std::string>& names, const char* none) {
  const bool valid = index >= 0 && index < static_cast<int>(names.size());
  bool changed = false;
  if (ImGui::BeginCombo(label, valid ? names[static_cast<std::size_t>(index)].c_str() : none)) {
    for (int i = 0; i < static_cast<int>(names.size()); ++i) {
      const bool selected = i == index;
      if (ImGui::Selectable(names[static_cast<std::size_t>(i)].c_str(), selected) && !selected) {
        index = i;
        changed = true;
      }
      if (selected) ImGui::SetItemDefaultFocus();
    }
    ImGui::EndCombo();
  }
  return changed;
}

}  // namespace lw::gui
