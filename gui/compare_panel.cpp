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
  const ImVec2 size(ImGui::GetContentRegionAvail().x, std::max(16.f, ImGui::GetContentRegionAvail().y));
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

void draw_compare_window(const ViewStatus& s, const renderer::Rect& strip, std::vector<renderer::Rect>& drawn) {
  if (s.paths.empty() || strip.width <= 0.f || strip.height <= 0.f) return;
  ImGui::SetNextWindowPos(ImVec2(strip.x, strip.y), ImGuiCond_Always);
  ImGui::SetNextWindowSize(ImVec2(strip.width, strip.height), ImGuiCond_Always);
  ImGui::Begin("compare", nullptr,
               ImGuiWindowFlags_NoFocusOnAppearing | ImGuiWindowFlags_NoMove | ImGuiWindowFlags_NoResize |
                   ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoTitleBar | ImGuiWindowFlags_NoScrollbar);
  for (std::size_t i = 0; i < s.paths.size(); ++i) {
    if (i > 0) ImGui::SameLine();
    ImGui::TextColored(ImGui::ColorConvertU32ToFloat4(kColours[i % 4]), "%s", s.paths[i].label.c_str());
  }
  // The three metrics side by side, each a column of the strip.
  if (ImGui::BeginTable("metrics", 3, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableNextColumn();
    draw_paths("log-density", s.paths, &PathPlot::log_density, s.path_phase);
    ImGui::TableNextColumn();
    draw_paths("latent norm", s.paths, &PathPlot::norm, s.path_phase);
    ImGui::TableNextColumn();
    draw_paths("realism", s.paths, &PathPlot::realism, s.path_phase);
    ImGui::EndTable();
  }
  drawn.push_back({ImGui::GetWindowPos().x, ImGui::GetWindowPos().y, ImGui::GetWindowSize().x, ImGui::GetWindowSize().y});
  ImGui::End();
}

}  // namespace lw::gui
