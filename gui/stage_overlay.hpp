// The overlay a stage draws with Dear ImGui: the tiles' labels always (under every window, so
// they stay when the UI is hidden), and with settings the viewer's keys, panels and compare
// window. Headless runs get the same labels, so their frames show what a window shows.
#pragma once

#include <functional>
#include <memory>

#include "app/stage/stage.hpp"
#include "gui/imgui_layer.hpp"
#include "gui/view_panel.hpp"

namespace lw::gui {

class StageOverlay : public stage::Overlay {
 public:
  // `settings` null: labels only. `window` null: headless (no input).
  StageOverlay(const renderer::Context& context, VkRenderPass render_pass, int frames_in_flight, renderer::Window* window,
               ViewSettings* settings);
  void build(const stage::StageStatus& status, VkExtent2D extent, float dt) override;
  void record(VkCommandBuffer cmd) override;
  // With the panels shown, the tiles keep clear of the side bar and the plot strip.
  renderer::Rect tile_area(VkExtent2D extent) const override;
  bool wants_keyboard() const { return layer_.wants_keyboard(); }
  std::unique_lock<std::mutex> input_scope() const { return layer_.input_scope(); }

 private:
  ImGuiLayer layer_;
  ViewPanel panel_;
  ViewSettings* settings_;
};

// Makes labels-only overlays: how `record` and background recordings label their tiles.
std::function<std::unique_ptr<stage::Overlay>(const renderer::Context&, VkRenderPass, int)> labels_overlay();

}  // namespace lw::gui
