// The stage loop of `latentwalk view`: loads the model, opens a window (or an offscreen target),
// runs the generator on its worker thread and draws the newest batch every frame with the UI on
// top, then reports what it measured.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace lw::app {

struct ViewOptions {
  std::filesystem::path model = "assets/models/synthfaces";
  std::optional<std::filesystem::path> direction;  // [1, d] .npy; default: the model's age boundary in Z
  bool headless = false;
  std::int64_t frames = 0;                          // 0: until the window closes
  std::optional<std::filesystem::path> out;         // headless: frame_0000.png ...
  std::optional<std::filesystem::path> screenshot;  // the last frame as presented, UI included
  bool json = false;
  bool show_ui = true;  // the panel (tile labels are always drawn)
  int width = 1280, height = 720;
  int seed = 0;
  int threads = 0;  // generator threads; 0: all cores but the render loop's
  double fps = 30.0;  // headless: walk seconds advance 1/fps per frame
};

int run_view(const ViewOptions& options);

}  // namespace lw::app
