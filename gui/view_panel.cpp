#include "gui/view_panel.hpp"

#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <vector>

#include "gui/frame_time_history.hpp"

namespace lw::gui {

namespace {

// One metric of every tile's path as overlaid lines, with the current time marked: the compare
// plot beneath the tiles' numbers.
void draw_paths(const char* title, const std::vector<PathPlot>& paths, std::vector<float> PathPlot::*metric, float phase) {
  static const ImU32 colours[] = {IM_COL32(240, 130, 60, 255), IM_COL32(80, 150, 240, 255), IM_COL32(120, 200, 90, 255),
                                  IM_COL32(220, 200, 80, 255)};
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
      draw->AddLine(point(k - 1), point(k), colours[i % 4], 1.5f);
    }
  }
  const float x = at.x + size.x * std::clamp(phase, 0.f, 1.f);
  draw->AddLine(ImVec2(x, at.y), ImVec2(x, at.y + size.y), IM_COL32(255, 255, 255, 200), 1.f);
}

}  // namespace

void ViewPanel::draw(const ViewStatus& s, ViewSettings& settings) {
  ImGui::SetNextWindowPos(ImVec2(10, 10), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(330, 0), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowBgAlpha(0.85f);
  ImGui::Begin("latentwalk");
  ImGui::Text("model  %s", s.model.c_str());
  ImGui::Text("z %d  w %d  image %dx%d", s.latent_dim, s.w_dim, s.width, s.height);
  ImGui::Text("device %s", s.device.c_str());
  ImGui::Text("sink   %s", s.sink.c_str());
  if (!s.sink_reason.empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", s.sink_reason.c_str());
  ImGui::Separator();

  if (s.history != nullptr) {
    const auto& h = *s.history;
    const float frame_ms = h.percentile(Stage::Frame, 0.5f);
    ImGui::Text("%.1f fps   frame %.2f ms   batches %llu", frame_ms > 0.f ? 1000.f / frame_ms : 0.f, frame_ms,
                static_cast<unsigned long long>(s.batches));
    if (ImGui::BeginTable("times", 3, ImGuiTableFlags_SizingStretchSame)) {
      ImGui::TableSetupColumn("stage");
      ImGui::TableSetupColumn("p50 ms");
      ImGui::TableSetupColumn("p99 ms");
      ImGui::TableHeadersRow();
      for (auto stage : {Stage::Generate, Stage::Handoff, Stage::Draw, Stage::Ui, Stage::Frame}) {
        ImGui::TableNextRow();
        ImGui::TableNextColumn();
        ImGui::TextUnformatted(std::string(stage_name(stage)).c_str());
        ImGui::TableNextColumn();
        ImGui::Text("%.2f", h.percentile(stage, 0.5f));
        ImGui::TableNextColumn();
        ImGui::Text("%.2f", h.percentile(stage, 0.99f));
      }
      ImGui::EndTable();
    }
    auto& values = plot_;
    for (auto stage : {Stage::Generate, Stage::Frame}) {
      h.ordered(stage, values);
      char label[32];
      std::snprintf(label, sizeof label, "%s ms", std::string(stage_name(stage)).c_str());
      const float top = values.empty() ? 1.f : *std::max_element(values.begin(), values.end()) * 1.2f;
      ImGui::PlotLines(label, values.data(), static_cast<int>(values.size()), 0, nullptr, 0.f, top, ImVec2(0, 40));
    }
  }
  ImGui::Separator();
  if (ImGui::Button(settings.playing ? "pause (space)" : "play (space)")) settings.playing = !settings.playing;
  ImGui::SameLine();
  ImGui::Text("t %.2f s  eps %+.2f", s.time, s.eps);
  ImGui::InputInt("seed", &settings.seed);
  settings.seed = std::max(settings.seed, 0);
  ImGui::SliderFloat("stride", &settings.stride, 0.f, 20.f, "%.1f");
  ImGui::Separator();
  ImGui::BeginDisabled(s.recording);
  if (ImGui::Button("record preset")) settings.record_requested = true;
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("renders the walk as it is set now to an H.264 video, frame exact, in the background");
  ImGui::SameLine();
  ImGui::Checkbox("live capture", &settings.capture);
  if (!s.record_status.empty()) ImGui::TextWrapped("%s", s.record_status.c_str());
  if (!s.capture_status.empty()) ImGui::TextWrapped("%s", s.capture_status.c_str());
  ImGui::TextDisabled("Tab: UI  arrows: step  F: fullscreen  S: shot");
  ImGui::End();

  // The compare plots, in their own window at the bottom right, over the tiles they describe.
  if (!s.paths.empty()) {
    const ImVec2 display = ImGui::GetIO().DisplaySize;
    ImGui::SetNextWindowPos(ImVec2(display.x - 10.f, display.y - 10.f), ImGuiCond_FirstUseEver, ImVec2(1.f, 1.f));
    ImGui::SetNextWindowSize(ImVec2(340.f, 0.f), ImGuiCond_Always);
    ImGui::SetNextWindowBgAlpha(0.85f);
    ImGui::Begin("compare: one walk period", nullptr, ImGuiWindowFlags_NoFocusOnAppearing);
    for (std::size_t i = 0; i < s.paths.size(); ++i) {
      static const ImVec4 colours[] = {{0.94f, 0.51f, 0.24f, 1.f}, {0.31f, 0.59f, 0.94f, 1.f}, {0.47f, 0.78f, 0.35f, 1.f},
                                       {0.86f, 0.78f, 0.31f, 1.f}};
      if (i > 0) ImGui::SameLine();
      ImGui::TextColored(colours[i % 4], "%s", s.paths[i].label.c_str());
    }
    draw_paths("log-density", s.paths, &PathPlot::log_density, s.path_phase);
    draw_paths("latent norm", s.paths, &PathPlot::norm, s.path_phase);
    draw_paths("realism", s.paths, &PathPlot::realism, s.path_phase);
    ImGui::End();
  }
}

void draw_tile_labels(std::span<const renderer::Rect> tiles, std::span<const std::string> labels) {
  ImDrawList* draw = ImGui::GetBackgroundDrawList();
  const std::size_t n = std::min(tiles.size(), labels.size());
  for (std::size_t i = 0; i < n; ++i) {
    // Bottom-left corner: the panel sits top-left and would cover a label there.
    const ImVec2 size = ImGui::CalcTextSize(labels[i].c_str());
    const ImVec2 at(tiles[i].x + 6.f, tiles[i].y + tiles[i].height - size.y - 6.f);
    draw->AddRectFilled(ImVec2(at.x - 3, at.y - 1), ImVec2(at.x + size.x + 3, at.y + size.y + 1), IM_COL32(0, 0, 0, 160), 3.f);
    draw->AddText(at, IM_COL32(255, 255, 255, 255), labels[i].c_str());
  }
}

void apply_view_keys(ViewSettings& settings) {
  if (ImGui::GetIO().WantTextInput) return;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Space), false)) settings.playing = !settings.playing;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_Tab), false)) settings.show_ui = !settings.show_ui;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_LeftArrow), true)) --settings.step_frames;
  if (ImGui::IsKeyPressed(ImGui::GetKeyIndex(ImGuiKey_RightArrow), true)) ++settings.step_frames;
  // Letters by their window-system key codes (GLFW's are ASCII): this ImGui names no letter keys.
  if (ImGui::IsKeyPressed('F', false)) settings.fullscreen = !settings.fullscreen;
  if (ImGui::IsKeyPressed('S', false)) settings.screenshot_requested = true;
}

}  // namespace lw::gui
