// Small Dear ImGui helpers the panels share: text fields over std::string and choices from a
// list of names.
#pragma once

#include <string>
#include <vector>

namespace lw::gui {

// A text field editing `value`; true when it changed.
bool input_text(const char* label, std::string& value);
// A combo over `names`; `index` is the choice (may be -1: none, shown as `none`). True when
// the user picked another.
bool choose(const char* label, int& index, const std::vector<std::string>& names, const char* none = "");
// The same over a C array of names, for enums.
template <typename E, std::size_t N>
bool choose_enum(const char* label, E& value, const char* const (&names)[N]) {
  int i = static_cast<int>(value);
  const bool changed = choose(label, i, std::vector<std::string>(names, names + N));
  if (changed) value = static_cast<E>(i);
  return changed;
}

}  // namespace lw::gui
