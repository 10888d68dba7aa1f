#include "gui/stage_overlay.hpp"

#include "gui/stage_layout.hpp"
#include "gui/tile_readouts.hpp"

namespace lw::gui {

StageOverlay::StageOverlay(const renderer::Context& context, VkRenderPass render_pass, int frames_in_flight,
                           renderer::Window* window, ViewSettings* settings)
    : layer_(context, render_pass, frames_in_flight, window), settings_(settings) {}

renderer::Rect StageOverlay::tile_area(VkExtent2D extent) const {
  const bool ui = settings_ && settings_->show_ui;
  return stage_layout(static_cast<float>(extent.width), static_cast<float>(extent.height), settings_ ? settings_->ui_scale : 1.f,
                      ui, ui)
      .tiles;
}

void StageOverlay::build(const stage::StageStatus& status, VkExtent2D extent, float dt) {
  layer_.new_frame(extent, dt, settings_ ? clamp_ui_scale(settings_->ui_scale) : 1.f);
  if (settings_) apply_view_input(status.tiles, *settings_);
  // With the panels (a window, or headless --ui), each label reads where its walk is now.
  if (settings_ && !status.paths.empty()) draw_tile_labels(status.tiles, tile_readouts(status));
  else draw_tile_labels(status.tiles, status.session.labels);
  if (settings_ && settings_->show_ui) panel_.draw(status, *settings_);
}

void StageOverlay::record(VkCommandBuffer cmd) { layer_.record(cmd); }

std::function<std::unique_ptr<stage::Overlay>(const renderer::Context&, VkRenderPass, int)> labels_overlay() {
  return [](const renderer::Context& context, VkRenderPass pass, int frames_in_flight) -> std::unique_ptr<stage::Overlay> {
    return std::make_unique<StageOverlay>(context, pass, frames_in_flight, nullptr, nullptr);
  };
}

}  // namespace lw::gui
