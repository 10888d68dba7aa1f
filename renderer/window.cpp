#define GLFW_INCLUDE_VULKAN
#include <GLFW/glfw3.h>

#include "renderer/window.hpp"

#include <cstdlib>
#include <utility>

#include "interop/vk_check.hpp"

namespace lw::renderer {

namespace {
thread_local std::string last_glfw_error;
void on_glfw_error(int, const char* description) { last_glfw_error = description ? description : "unknown"; }
}  // namespace

// GLFW calls back with the window only: its user pointer leads to the Window.
void Window::on_drop(GLFWwindow* window, int count, const char** paths) {
  auto* self = static_cast<Window*>(glfwGetWindowUserPointer(window));
  if (self == nullptr) return;
  for (int i = 0; i < count; ++i)
    if (paths[i] != nullptr) self->dropped_.emplace_back(paths[i]);
}

std::vector<std::string> Window::take_dropped() { return std::exchange(dropped_, {}); }

Window::Window(const std::string& title, int width, int height) {
  glfwSetErrorCallback(on_glfw_error);
  const char* display = std::getenv("DISPLAY");
  const char* wayland = std::getenv("WAYLAND_DISPLAY");
  LW_EXPECT((display && *display) || (wayland && *wayland),
            "no display: DISPLAY is not set (run under xvfb-run for a virtual one, or use --headless)");
  LW_EXPECT(glfwInit() == GLFW_TRUE, "no display: the window system could not start (" << last_glfw_error
                                         << "); use --headless to render without a window");
  if (glfwVulkanSupported() != GLFW_TRUE) {
    glfwTerminate();
    LW_FAIL("the window system has no Vulkan support (is libvulkan1 installed?)");
  }
  glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);
  window_ = glfwCreateWindow(width, height, title.c_str(), nullptr, nullptr);
  if (window_ == nullptr) {
    glfwTerminate();
    LW_FAIL("could not open a window (" << last_glfw_error << ")");
  }
  glfwSetWindowUserPointer(window_, this);
  glfwSetDropCallback(window_, &Window::on_drop);
}

Window::~Window() {
  if (window_) glfwDestroyWindow(window_);
  glfwTerminate();
}

std::vector<std::string> Window::required_instance_extensions() const {
  std::uint32_t n = 0;
  const char** names = glfwGetRequiredInstanceExtensions(&n);
  LW_EXPECT(names != nullptr, "the window system offers no Vulkan surface extension (" << last_glfw_error << ")");
  return {names, names + n};
}

VkSurfaceKHR Window::create_surface(VkInstance instance) const {
  VkSurfaceKHR surface = VK_NULL_HANDLE;
  LW_VK_CHECK(glfwCreateWindowSurface(instance, window_, nullptr, &surface));
  return surface;
}

void Window::set_title(const std::string& title) { glfwSetWindowTitle(window_, title.c_str()); }
void Window::poll_events() { glfwPollEvents(); }
float Window::content_scale() const {
  float x = 1.f, y = 1.f;
  glfwGetWindowContentScale(window_, &x, &y);
  return x > 0.f ? x : 1.f;
}
void Window::wait_events(double timeout_s) { glfwWaitEventsTimeout(timeout_s); }
bool Window::should_close() const { return glfwWindowShouldClose(window_) == GLFW_TRUE; }

void Window::set_fullscreen(bool on) {
  if (on == fullscreen_) return;
  if (on) {
    GLFWmonitor* monitor = glfwGetPrimaryMonitor();
    const GLFWvidmode* mode = monitor ? glfwGetVideoMode(monitor) : nullptr;
    if (mode == nullptr) return;  // no monitor to fill (some virtual displays): stay windowed
    glfwGetWindowPos(window_, &windowed_[0], &windowed_[1]);
    glfwGetWindowSize(window_, &windowed_[2], &windowed_[3]);
    glfwSetWindowMonitor(window_, monitor, 0, 0, mode->width, mode->height, mode->refreshRate);
  } else {
    glfwSetWindowMonitor(window_, nullptr, windowed_[0], windowed_[1], windowed_[2], windowed_[3], 0);
  }
  fullscreen_ = on;
}

VkExtent2D Window::framebuffer_size() const {
  int w = 0, h = 0;
  glfwGetFramebufferSize(window_, &w, &h);
  return {static_cast<std::uint32_t>(w), static_cast<std::uint32_t>(h)};
}


}  // namespace lw::renderer
