// The desktop window (GLFW, no client API): creation with a clear error when there is no
// display, the Vulkan surface, size changes, minimise, and the keys the viewer reacts to.
#pragma once

#include <vulkan/vulkan.h>

#include <string>
#include <vector>

struct GLFWwindow;

namespace lw::renderer {

class Window {
 public:
  // Throws lw::Error when no display is reachable or the window system has no Vulkan support.
  Window(const std::string& title, int width, int height);
  ~Window();
  Window(const Window&) = delete;
  Window& operator=(const Window&) = delete;

  GLFWwindow* handle() const { return window_; }
  std::vector<std::string> required_instance_extensions() const;
  VkSurfaceKHR create_surface(VkInstance instance) const;

  void set_title(const std::string& title);
  void poll_events();
  // Blocks until an event arrives or `timeout_s` passes: only while minimised, when there is
  // nothing to draw.
  void wait_events(double timeout_s = 0.1);
  bool should_close() const;
  // Fills the primary monitor (at its video mode) or returns to the windowed size and place.
  void set_fullscreen(bool on);
  bool fullscreen() const { return fullscreen_; }
  // Framebuffer size in pixels; 0 x 0 while minimised.
  VkExtent2D framebuffer_size() const;
  // The monitor's content scale (2 on a high-DPI screen, as the desktop sets it), or 1.
  float content_scale() const;
  // Files dropped on the window since the last call (drag and drop), in the order dropped.
  std::vector<std::string> take_dropped();

 private:
  static void on_drop(GLFWwindow* window, int count, const char** paths);

  GLFWwindow* window_ = nullptr;
  bool fullscreen_ = false;
  int windowed_[4] = {0, 0, 0, 0};  // x, y, width, height to return to
  std::vector<std::string> dropped_;  // filled by GLFW's drop callback during poll_events
};

}  // namespace lw::renderer
