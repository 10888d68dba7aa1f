#include "gui/widgets.hpp"

#include <imgui.h>

#include <algorithm>
#include <array>
#include <cstring>

namespace lw::gui {

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
