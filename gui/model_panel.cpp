// The Model panel: what is loaded and where it runs, another model to open, the space walks
// and edits move in (Z, W, or W+ on a range of style rows) and truncation.
#include <imgui.h>

#include <algorithm>

#include "gui/panels.hpp"
#include "gui/scene_edits.hpp"
#include "gui/widgets.hpp"

namespace lw::gui {

void draw_model_panel(const ViewStatus& s, ViewSettings& settings) {
  ImGui::Text("%s", s.session.model.c_str());
  ImGui::TextDisabled("%s", s.session.model_folder.c_str());
  ImGui::Text("z %d   w %d   W+ rows %d   image %dx%d", s.session.latent_dim, s.session.w_dim, s.session.num_ws, s.session.width, s.session.height);
  ImGui::Text("generator on %s", s.generator_device.c_str());
  ImGui::Text("Vulkan: %s", s.device.c_str());
  ImGui::Text("hand-off: %s", s.sink.c_str());
  if (!s.sink_reason.empty()) ImGui::TextWrapped("  %s", s.sink_reason.c_str());
  input_text("##model", settings.model_path);
  ImGui::SameLine();
  if (ImGui::Button("open model")) settings.commands.push_back({Command::Kind::OpenModel, settings.model_path});
  // A photo: inverted into W (W+ where the model has style rows) while the walks play, then the
  // linear and density-preserving tiles start from it. Dropping a .png on the window does the same.
  ImGui::BeginDisabled(s.session.w_dim <= 0 || s.inverting);
  input_text("##photo", settings.photo_path);
  ImGui::SameLine();
  if (ImGui::Button("start from photo")) settings.commands.push_back({Command::Kind::OpenPhoto, settings.photo_path});
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("a .png (or drop one on the window): inverted, then the direction walks start from its code");
  if (!s.photo_status.empty()) ImGui::TextWrapped("%s", s.photo_status.c_str());
  ImGui::Separator();

  Preset& scene = settings.scene;
  ImGui::TextUnformatted("space");
  ImGui::SameLine();
  if (ImGui::RadioButton("Z", scene.space == "z")) scene.space = "z";
  ImGui::SameLine();
  ImGui::BeginDisabled(s.session.w_dim <= 0);
  if (ImGui::RadioButton("W", scene.space == "w")) scene.space = "w";
  ImGui::EndDisabled();
  ImGui::SameLine();
  ImGui::BeginDisabled(s.session.num_ws <= 0);
  if (ImGui::RadioButton("W+", scene.space == "wplus")) scene.space = "wplus";
  ImGui::EndDisabled();
  if (scene.space == "wplus" && s.session.num_ws > 0) {
    int end = scene.layer_end < 0 ? s.session.num_ws : scene.layer_end;
    if (ImGui::DragIntRange2("style rows", &scene.layer_begin, &end, 0.05f, 0, s.session.num_ws, "from %d", "to %d")) {
      scene.layer_begin = std::clamp(scene.layer_begin, 0, s.session.num_ws - 1);
      end = std::clamp(end, scene.layer_begin + 1, s.session.num_ws);
      scene.layer_end = end == s.session.num_ws ? -1 : end;
    }
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("walks and edits move rows [from, to); the others keep each tile's start");
  }
  // The model's quality boundary as one slider: InterFaceGAN's artifact correction, an edit
  // along it like any other (/edit/quality/alpha), in the space the walks are in.
  for (const DirectionEntry& d : s.session.directions) {
    if (d.group != "boundary" || d.name != "quality") continue;
    float alpha = alpha_of(scene, d.ref);
    if (ImGui::SliderFloat("fix artifacts", &alpha, 0.f, 3.f, "%.2f")) set_alpha(scene, d.ref, alpha);
    bindable("/edit/quality/alpha", s, settings);
    if (ImGui::IsItemHovered())
      ImGui::SetTooltip("moves every code along the quality boundary, the face kept. Measured on SynthFaces: in Z it\n"
                        "repairs the least real images a little; in W a straight step does not (the model README)");
  }
  ImGui::BeginDisabled(s.session.w_dim <= 0);
  ImGui::SliderFloat("truncation", &scene.truncation, 0.f, 1.5f, "psi %.2f");
  bindable("/model/truncation", s, settings);
  ImGui::EndDisabled();
  if (ImGui::IsItemHovered(ImGuiHoveredFlags_AllowWhenDisabled))
    ImGui::SetTooltip("w_avg + psi (w - w_avg) before synthesis: below 1 trades variety for typical images");
  if (s.session.input_transform) {
    // StyleGAN3 draws from a continuous signal: its input can turn and shift under the image.
    ImGui::SliderFloat("rotate", &scene.rotate, -180.f, 180.f, "%.1f deg");
    bindable("/model/rotate", s, settings);
    ImGui::SliderFloat2("translate", scene.translate.data(), -1.f, 1.f, "%.3f");
    if (ImGui::Button("reset transform")) scene.rotate = 0.f, scene.translate = {0.f, 0.f};
  }
}

}  // namespace lw::gui
