// The windowed path: a swapchain on a real (virtual) display, remade when the window changes
// size. Runs under xvfb-run in the suite (renderer.window_under_xvfb); skipped without a display.
#include <GLFW/glfw3.h>
#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "interop/host_staging_sink.hpp"
#include "renderer/context.hpp"
#include "renderer/frame_renderer.hpp"
#include "renderer/swapchain_target.hpp"
#include "renderer/window.hpp"

namespace lw::renderer {
namespace {

TEST(WindowFrame, PresentsAndSurvivesAResize) {
  const char* display = std::getenv("DISPLAY");
  if (display == nullptr || *display == '\0') GTEST_SKIP() << "no display: run under xvfb-run (ctest does)";
  Window window("latentwalk test", 160, 120);
  ContextOptions options;
  options.validation = true;
  options.instance_extensions = window.required_instance_extensions();
  options.make_surface = [&](VkInstance instance) { return window.create_surface(instance); };
  Context context(options);
  {
    SwapchainTarget target(context, window);
    interop::HostStagingSink sink(context.vulkan_device(), 2);
    FrameRenderer frames(context, target, sink, 2);
    frames.configure_sink(1, 4, 4);
    std::vector<float> green(3 * 16, -1.f);
    std::fill(green.begin() + 16, green.begin() + 32, 1.f);
    VkExtent2D last{};
    std::vector<std::uint8_t> centre;
    frames.on_readback([&](std::uint64_t, const ReadbackImage& image) {
      last = {image.width, image.height};
      const auto* p = image.pixels + (static_cast<std::size_t>(image.height / 2) * image.width + image.width / 2) * 4;
      centre.assign(p, p + 4);
    });
    auto draw = [&] {
      window.poll_events();
      if (!frames.begin_frame()) return false;
      sink.write(interop::ImageView{green.data(), 1, 4, 4, -1.f, 1.f}, frames.slot());
      const auto e = frames.extent();
      const std::vector<Rect> rect{{0, 0, static_cast<float>(e.width), static_cast<float>(e.height)}};
      FrameContent content;
      content.tiles = rect;
      content.readback = target.readable();
      frames.end_frame(content);
      return true;
    };
    for (int i = 0; i < 3; ++i) draw();
    const auto generation = target.generation();
    glfwSetWindowSize(window.handle(), 200, 150);
    for (int i = 0; i < 200 && (window.framebuffer_size().width != 200); ++i) window.poll_events();
    ASSERT_EQ(window.framebuffer_size().width, 200u) << "the window manager ignored the resize";
    int drawn = 0;
    for (int i = 0; i < 10 && drawn < 3; ++i) drawn += draw() ? 1 : 0;
    frames.finish();
    EXPECT_GT(target.generation(), generation) << "the swapchain was not remade";
    EXPECT_EQ(frames.extent().width, 200u);
    if (target.readable()) {
      EXPECT_EQ(last.width, 200u);
      EXPECT_EQ(last.height, 150u);
      ASSERT_EQ(centre.size(), 4u);
      EXPECT_EQ(centre[1], 255);  // green in either byte order
    }
  }
  EXPECT_EQ(context.validation_errors() + context.validation_warnings(), 0)
      << ::testing::PrintToString(context.validation_messages());
}

}  // namespace
}  // namespace lw::renderer
