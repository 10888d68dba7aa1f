// The window's frame loop: events, the clock's pace (display-paced), the panels' edits and
// commands handed to the stage, fullscreen and the title. Only with GLFW and Dear ImGui.
#pragma once

#include "app/view_run.hpp"

namespace lw::renderer {
class Window;
}
namespace lw::stage {
class Stage;
}
namespace lw::gui {
class StageOverlay;
struct ViewSettings;
}  // namespace lw::gui

namespace lw::app {

// Runs until the window closes or, with options.frames, for that many frames.
void run_window(renderer::Window& window, stage::Stage& stage, gui::StageOverlay& overlay, gui::ViewSettings& settings,
                const ViewOptions& options);

}  // namespace lw::app
