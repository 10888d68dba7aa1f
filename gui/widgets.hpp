// Small Dear ImGui helpers the panels share: text fields over std::string and choices from a
// list of names.
#pragma once

#include <string>
#include <vector>

#include "gui/view_settings.hpp"

namespace lw::gui {

// After the widget that moves parameter `path`: a right click offers to learn its source (the
// next MIDI control moved or unknown OSC address sent is bound to it) or to forget it; a bound
// widget carries a dot at its left edge (its source in the tooltip), one being learned a frame.
void bindable(const std::string& path, const ViewStatus& status, ViewSettings& settings);

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
