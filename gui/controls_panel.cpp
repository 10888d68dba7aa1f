// The Controls panel: every binding of the walks with a live meter (its source's value through
// its curve) and what it set, learning in progress, and the inputs' state: OSC, MIDI, audio.
#include <imgui.h>

#include <algorithm>
#include <cstdio>
#include <optional>

#include "gui/panels.hpp"

namespace lw::gui {

namespace {

void meter(const char* label, double value, double top) {
  char text[48];
  std::snprintf(text, sizeof text, "%s %.2f", label, value);
  ImGui::ProgressBar(static_cast<float>(std::clamp(value / top, 0.0, 1.0)), ImVec2(-1.f, 0.f), text);
}

// A binding's shaping, edited in place: output range, curve, invert, attack and release.
void edit_binding(Binding& b) {
  float out[2] = {static_cast<float>(b.out_min.value_or(0.0)), static_cast<float>(b.out_max.value_or(1.0))};
  bool own_range = b.out_min.has_value();
  if (ImGui::Checkbox("own output range", &own_range)) {
    b.out_min = own_range ? std::optional<double>(out[0]) : std::nullopt;
    b.out_max = own_range ? std::optional<double>(out[1]) : std::nullopt;
  }
  if (own_range && ImGui::DragFloat2("output", out, 0.05f)) b.out_min = out[0], b.out_max = out[1];
  int curve = static_cast<int>(b.curve);
  if (ImGui::Combo("curve", &curve, "linear\0exp\0log\0s\0")) b.curve = static_cast<Curve>(curve);
  ImGui::Checkbox("invert", &b.invert);
  float attack = static_cast<float>(b.attack), release = static_cast<float>(b.release);
  if (ImGui::DragFloat("attack", &attack, 0.005f, 0.f, 60.f, "%.3f s")) b.attack = std::clamp(attack, 0.f, 60.f);
  if (ImGui::DragFloat("release", &release, 0.005f, 0.f, 60.f, "%.3f s")) b.release = std::clamp(release, 0.f, 60.f);
}

void draw_inputs(const ViewStatus& s) {
  if (!s.osc.listening.empty()) ImGui::Text("OSC on %s: %llu messages", s.osc.listening.c_str(), s.osc.input.messages);
  if (s.midi.attached)
    ImGui::Text("MIDI (port \"latentwalk\"): %llu messages%s%s", s.midi.messages, s.midi.last.empty() ? "" : ", last ",
                s.midi.last.c_str());
  if (s.midi.clock_bpm > 0.0) ImGui::Text("MIDI clock %.1f bpm", s.midi.clock_bpm);
  if (!s.track.source.empty())
    ImGui::Text("track %s: %.1f of %.1f s, %.1f bpm%s", s.track.source.c_str(), s.track.position, s.track.seconds, s.track.bpm,
                s.track.audible ? "" : " (silent: no audio output)");
  if (!s.audio.source.empty()) {
    ImGui::Text("audio: %s%s%s", s.audio.source.c_str(), s.audio.dropped_samples ? " (samples dropped: the analysis fell behind)" : "",
                s.audio.dropped_features ? " (features dropped: the frames fell behind)" : "");
    meter("level", s.audio.level, 0.5);
    meter("bass", s.audio.bass, 0.5);
    meter("mid", s.audio.mid, 0.5);
    meter("high", s.audio.high, 0.5);
    ImGui::Text("onsets %llu  beats %llu  tempo %.1f bpm", s.audio.onsets, s.audio.beats, s.audio.bpm);
  }
  if (s.osc.listening.empty() && !s.midi.attached && s.audio.source.empty())
    ImGui::TextWrapped("No live input: start with --osc-port, --midi, --audio-in, --audio or --audio-file (see README).");
}

}  // namespace

void draw_controls_panel(const ViewStatus& s, ViewSettings& settings) {
  if (!s.learning.empty()) {
    ImGui::TextColored(ImVec4(1.f, 0.82f, 0.f, 1.f), "learning %s: move a MIDI control or send an OSC address", s.learning.c_str());
    ImGui::SameLine();
    if (ImGui::SmallButton("cancel")) settings.commands.push_back({Command::Kind::Learn, ""});
  }
  // The panels' copy of the walks: what is edited here goes to the stage with the rest.
  auto& bindings = settings.scene.bindings;
  if (bindings.empty()) ImGui::TextWrapped("No bindings: right-click a slider and choose learn, or add them to the preset (README).");
  if (!bindings.empty() && ImGui::BeginTable("bindings", 3, ImGuiTableFlags_SizingStretchProp | ImGuiTableFlags_RowBg)) {
    ImGui::TableSetupColumn("parameter");
    ImGui::TableSetupColumn("source");
    ImGui::TableSetupColumn("now", ImGuiTableColumnFlags_WidthStretch);
    ImGui::TableHeadersRow();
    for (std::size_t i = 0; i < bindings.size(); ++i) {
      Binding& b = bindings[i];
      const BindingEngine::Meter m = i < s.binding_meters.size() ? s.binding_meters[i] : BindingEngine::Meter{};
      ImGui::PushID(static_cast<int>(i));
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(b.target.c_str());
      if (!m.resolved && ImGui::IsItemHovered()) ImGui::SetTooltip("not in this scene (an edit not made yet?): waiting");
      ImGui::TableNextColumn();
      ImGui::TextUnformatted(describe_source(b.source).c_str());
      ImGui::TableNextColumn();
      char text[48];
      std::snprintf(text, sizeof text, m.live ? "%.3g" : "no value yet", m.output);
      ImGui::ProgressBar(m.live ? static_cast<float>(shaped_unit(b, m.input)) : 0.f, ImVec2(-1.f, 0.f), text);
      if (ImGui::BeginPopupContextItem("binding")) {
        edit_binding(b);
        if (ImGui::MenuItem("forget")) settings.commands.push_back({Command::Kind::Unbind, b.target});
        ImGui::EndPopup();
      }
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("right click: range, curve, smoothing, forget");
      ImGui::PopID();
    }
    ImGui::EndTable();
  }
  ImGui::Separator();
  draw_inputs(s);
}

}  // namespace lw::gui
