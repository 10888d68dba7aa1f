// Dear ImGui on the renderer: Debian libimgui-dev's Vulkan back end drawing into the frame's
// render pass, and its GLFW back end for input when there is a window. Headless, the same UI
// renders with a display size set per frame and no input, so headless frames and screenshots
// show what a window shows.
#pragma once

#include <vulkan/vulkan.h>

#include <memory>
#include <mutex>

#include "interop/vk_handle.hpp"
#include "renderer/context.hpp"

struct ImGuiContext;
struct ImGuiStyle;

namespace lw::renderer {
class Window;
}

namespace lw::gui {

class ImGuiLayer {
 public:
  // `window` null: headless. Each layer has its own ImGui context; Dear ImGui keeps the current
  // one in a global, so every use (construction, a frame from new_frame to record, destruction)
  // holds one process-wide lock: a background recording's labels and the window's panels take
  // turns. At most one layer may have a window.
  ImGuiLayer(const renderer::Context& context, VkRenderPass render_pass, int frames_in_flight,
             renderer::Window* window);
  ~ImGuiLayer();
  ImGuiLayer(const ImGuiLayer&) = delete;
  ImGuiLayer& operator=(const ImGuiLayer&) = delete;

  // Starts a UI frame for a target of `size` pixels, `dt` seconds after the last one, fonts and
  // widgets at `scale`; holds the lock until record().
  void new_frame(VkExtent2D size, float dt, float scale = 1.f);
  // Finishes the UI frame, records its draw commands into the current render pass, and lets go.
  void record(VkCommandBuffer cmd);
  // True when the UI wants the keyboard (a text field is active): the viewer's keys stay off.
  bool wants_keyboard() const;
  // Hold while the window's events are polled: GLFW calls ImGui's input callbacks then, and
  // they must reach this layer's context, not a background recording's.
  std::unique_lock<std::mutex> input_scope() const { return use(); }

 private:
  std::unique_lock<std::mutex> use() const;

  interop::DescriptorPool pool_;
  ImGuiContext* context_ = nullptr;
  bool glfw_ = false;
  float scale_ = 1.f;
  std::unique_ptr<ImGuiStyle> base_style_;  // the style at scale 1, scaled from afresh
  std::unique_lock<std::mutex> frame_lock_;  // held from new_frame to record
};

}  // namespace lw::gui
