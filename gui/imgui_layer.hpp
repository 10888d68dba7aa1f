// Dear ImGui on the renderer: Debian libimgui-dev's Vulkan back end drawing into the frame's
// render pass, and its GLFW back end for input when there is a window. Headless, the same UI
// renders with a display size set per frame and no input, so headless frames and screenshots
// show what a window shows.
#pragma once

#include <vulkan/vulkan.h>

#include "interop/vk_handle.hpp"
#include "renderer/context.hpp"

namespace lw::renderer {
class Window;
}

namespace lw::gui {

class ImGuiLayer {
 public:
  // `window` null: headless. Only one layer may exist at a time (ImGui's back ends are global).
  ImGuiLayer(const renderer::Context& context, VkRenderPass render_pass, int frames_in_flight,
             renderer::Window* window);
  ~ImGuiLayer();
  ImGuiLayer(const ImGuiLayer&) = delete;
  ImGuiLayer& operator=(const ImGuiLayer&) = delete;

  // Starts a UI frame for a target of `size` pixels, `dt` seconds after the last one.
  void new_frame(VkExtent2D size, float dt);
  // Finishes the UI frame and records its draw commands into the current render pass.
  void record(VkCommandBuffer cmd);
  // True when the UI wants the keyboard (a text field is active): the viewer's keys stay off.
  bool wants_keyboard() const;

 private:
  interop::DescriptorPool pool_;
  bool glfw_ = false;
};

}  // namespace lw::gui
