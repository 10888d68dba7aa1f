// The Performance panel: where each frame's time goes, as percentiles and as a history plot.
#include <imgui.h>

#include <algorithm>
#include <cstdio>

#include "app/stage/frame_time_history.hpp"
#include "gui/panels.hpp"

namespace lw::gui {

void draw_performance_panel(const ViewStatus& s, std::vector<float>& values) {
  if (s.history == nullptr) return;
  const auto& h = *s.history;
  const float frame_ms = h.percentile(stage::Timing::Frame, 0.5f);
  ImGui::Text("%.1f fps   frame %.2f ms   batches %llu", frame_ms > 0.f ? 1000.f / frame_ms : 0.f, frame_ms,
              static_cast<unsigned long long>(s.counters.batches));
  if (ImGui::BeginTable("times", 3, ImGuiTableFlags_SizingStretchSame)) {
    ImGui::TableSetupColumn("stage");
    ImGui::TableSetupColumn("p50 ms");
    ImGui::TableSetupColumn("p99 ms");
    ImGui::TableHeadersRow();
    for (auto t : {stage::Timing::Generate, stage::Timing::Handoff, stage::Timing::Draw, stage::Timing::Ui, stage::Timing::Frame}) {
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(std::string(stage::timing_name(t)).c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%.2f", h.percentile(t, 0.5f));
      ImGui::TableNextColumn();
      ImGui::Text("%.2f", h.percentile(t, 0.99f));
    }
    ImGui::EndTable();
  }
  const auto& c = s.counters;
  ImGui::Text("scene rebuilds %llu   stale batches %llu", static_cast<unsigned long long>(c.scene_rebuilds),
              static_cast<unsigned long long>(c.stale_batches));
  ImGui::Text("render-thread LibTorch calls %llu", static_cast<unsigned long long>(c.render_thread_torch_calls));
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("the render thread leaves every model call to the generator worker: 0");
  if (const auto& osc = s.osc; !osc.listening.empty()) {
    ImGui::Text("OSC %s: %llu messages, %llu applied, %llu triggers", osc.listening.c_str(), osc.input.messages,
                osc.applied, osc.triggers);
    ImGui::Text("dropped: %llu malformed, %llu unknown, %llu rejected, %llu queue full", osc.input.malformed, osc.unknown,
                osc.rejected, osc.input.queue_full);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("malformed: not OSC; unknown: no such address (latentwalk osc-map lists them); rejected: NaN, "
                        "no value, a string or blob where a number goes; queue full: more than a frame can take");
    if (!osc.feedback.empty()) ImGui::Text("feedback to %s: %llu sent", osc.feedback.c_str(), osc.feedback_sent);
  }
  for (auto t : {stage::Timing::Generate, stage::Timing::Handoff, stage::Timing::Draw, stage::Timing::Frame}) {
    h.ordered(t, values);
    char label[32];
    std::snprintf(label, sizeof label, "%s ms", std::string(stage::timing_name(t)).c_str());
    const float top = values.empty() ? 1.f : *std::max_element(values.begin(), values.end()) * 1.2f;
    ImGui::PlotLines(label, values.data(), static_cast<int>(values.size()), 0, nullptr, 0.f, top, ImVec2(0, 36));
  }
}

}  // namespace lw::gui
