// The Compare window: log-density, latent norm and realism along each tile's walk, overlaid in
// the tiles' colours, with the clock's place marked: why a density-preserving walk stays
// realistic where a linear one leaves the data.
#include <imgui.h>

#include <algorithm>

#include "gui/panels.hpp"

namespace lw::gui {

namespace {

constexpr ImU32 kColours[] = {IM_COL32(240, 130, 60, 255), IM_COL32(80, 150, 240, 255), IM_COL32(120, 200, 90, 255),
                              IM_COL32(220, 200, 80, 255)};

// One metric of every tile's path as overlaid lines, with the current time marked.
void draw_paths(const char* title, const std::vector<PathPlot>& paths, std::vector<float> PathPlot::*metric, float phase) {
  float lo = 1e30f, hi = -1e30f;
  for (const auto& p : paths)
    for (const float v : p.*metric) lo = std::min(lo, v), hi = std::max(hi, v);
  if (lo > hi) return;  // nothing to show for this model
  if (hi - lo < 1e-6f) lo -= 0.5f, hi += 0.5f;
  ImGui::Text("%s  [%.3g, %.3g]", title, lo, hi);
  const ImVec2 size(ImGui::GetContentRegionAvail().x, 44.f);
  const ImVec2 at = ImGui::GetCursorScreenPos();
  ImGui::Dummy(size);
  ImDrawList* draw = ImGui::GetWindowDrawList();
  draw->AddRectFilled(at, ImVec2(at.x + size.x, at.y + size.y), IM_COL32(20, 20, 24, 200));
  for (std::size_t i = 0; i < paths.size(); ++i) {
    const auto& v = paths[i].*metric;
    for (std::size_t k = 1; k < v.size(); ++k) {
      auto point = [&](std::size_t j) {
        return ImVec2(at.x + size.x * static_cast<float>(j) / static_cast<float>(v.size() - 1),
                      at.y + size.y - 2.f - (size.y - 4.f) * (v[j] - lo) / (hi - lo));
      };
      draw->AddLine(point(k - 1), point(k), kColours[i % 4], 1.5f);
    }
  }
  const float x = at.x + size.x * std::clamp(phase, 0.f, 1.f);
  draw->AddLine(ImVec2(x, at.y), ImVec2(x, at.y + size.y), IM_COL32(255, 255, 255, 200), 1.f);
}

}  // namespace

void draw_compare_window(const ViewStatus& s) {
  if (s.paths.empty()) return;
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(display.x - 10.f, display.y - 10.f), ImGuiCond_FirstUseEver, ImVec2(1.f, 1.f));
  ImGui::SetNextWindowSize(ImVec2(340.f, 0.f), ImGuiCond_Always);
  ImGui::SetNextWindowBgAlpha(0.85f);
  ImGui::Begin("compare", nullptr, ImGuiWindowFlags_NoFocusOnAppearing);
  for (std::size_t i = 0; i < s.paths.size(); ++i) {
    if (i > 0) ImGui::SameLine();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kColours[i % 4]), "%s", s.paths[i].label.c_str());
  }
  draw_paths("log-density", s.paths, &PathPlot::log_density, s.path_phase);
  draw_paths("latent norm", s.paths, &PathPlot::norm, s.path_phase);
  draw_paths("realism", s.paths, &PathPlot::realism, s.path_phase);
  ImGui::End();
}

}  // namespace lw::gui
