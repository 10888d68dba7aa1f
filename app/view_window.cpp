#include "app/view_window.hpp"

#include <chrono>
#include <iostream>

#include "app/stage/stage.hpp"
#include "core/base/check.hpp"
#include "gui/dropped_files.hpp"
#include "gui/stage_overlay.hpp"
#include "gui/view_settings.hpp"
#include "renderer/window.hpp"

namespace lw::app {

void run_window(renderer::Window& window, stage::Stage& stage, gui::StageOverlay& overlay, gui::ViewSettings& settings,
                const ViewOptions& o) {
  using Clock = std::chrono::steady_clock;
  const std::uint64_t last_frame = o.frames > 0 ? static_cast<std::uint64_t>(o.frames - 1) : UINT64_MAX;
  std::string title;
  auto last = Clock::now();
  bool first = true;
  for (std::uint64_t frame = 0; frame <= last_frame;) {
    LW_EXPECT(!(o.interrupted && o.interrupted->load()), "interrupted");
    {
      const auto input = overlay.input_scope();  // ImGui's callbacks run inside
      window.poll_events();
    }
    if (window.should_close() || (o.stop && o.stop->load())) break;
    const auto fb = window.framebuffer_size();
    if (fb.width == 0 || fb.height == 0) {
      const auto input = overlay.input_scope();
      window.wait_events(0.1);  // minimised: nothing to draw; the lock is let go ten times a second
      last = Clock::now();   // the time away is not a frame, nor walk time
      continue;
    }
    const auto now = Clock::now();
    const double dt = first ? 0.0 : std::chrono::duration<double>(now - last).count();
    last = now;
    if (settings.fullscreen != window.fullscreen()) window.set_fullscreen(settings.fullscreen);
    stage.set_playing(settings.playing);
    stage.want_plots(settings.show_ui);
    // A --screenshot shows exactly the codes of its frame's time, as a headless one does, and
    // the compare plots of the walks (shown a frame before: a new window is measured first).
    const bool shot = o.screenshot.has_value() && frame == last_frame;
    if (o.screenshot && settings.show_ui && frame + 2 >= last_frame) stage.wait_plots();
    if (!stage.begin_frame(dt, shot)) continue;  // the swapchain was remade: this frame did not happen
    first = false;
    settings.playing = stage.status().playing;  // OSC's /clock/play or a MIDI start/stop may have moved it
    stage.sync_panels(settings.scene);
    stage.end_frame(&overlay);  // the panels draw here and edit `settings`
    stage.edit(settings.scene);
    for (const std::string& file : window.take_dropped()) {
      if (const auto c = gui::command_for_dropped(file)) settings.commands.push_back(*c);
      else std::cerr << "latentwalk view: " << file << ": " << gui::dropped_files_hint << std::endl;
    }
    for (const auto& c : settings.commands) stage.command(c);
    settings.commands.clear();
    if (stage.status().session.model != title) {
      title = stage.status().session.model;
      window.set_title("latentwalk - " + title);
      settings.model_path = stage.status().session.model_folder;
    }
    ++frame;
  }
}

}  // namespace lw::app
