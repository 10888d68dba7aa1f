// What the viewer's overlay edits (ViewSettings) and what it shows (ViewStatus): plain structs
// the stage loop reads and fills, so the loop never reaches into the UI.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace lw::gui {

class FrameTimeHistory;

struct ViewSettings {
  bool playing = true;
  bool show_ui = true;
  int seed = 0;          // start code of the walk
  float stride = 4.f;    // the walk slider: the largest |eps| of the ping-pong walk
  float period = 6.f;    // seconds per ping-pong cycle
  bool fullscreen = false;
  int step_frames = 0;           // frames to step while paused (arrow keys); the loop consumes them
  bool screenshot_requested = false;  // S: save the next frame as presented
  bool capture = false;          // live capture: record frames as they are presented
  bool record_requested = false; // render the current preset to a video in the background
};

// Metrics along each tile's walk over one period, for the compare plots.
struct PathPlot {
  std::string label;
  std::vector<float> log_density, norm, realism;  // empty: not available for this model
};

struct ViewStatus {
  std::string model;       // name from the manifest
  int latent_dim = 0, w_dim = 0, height = 0, width = 0;
  std::string sink;        // "host-staging" or "cuda-shared"
  std::string sink_reason; // why that sink runs
  std::string device;      // the Vulkan device
  double time = 0.0;       // walk clock, seconds
  float eps = 0.f;         // the walk's current step size
  std::uint64_t frames = 0, batches = 0;
  const FrameTimeHistory* history = nullptr;
  std::string capture_status;  // live capture: where and how many frames, or the last error
  std::string record_status;   // background recording: progress, where it went, or its error
  bool recording = false;      // a background recording is running
  std::vector<PathPlot> paths;  // one per tile, sampled evenly over one walk period
  float path_phase = 0.f;       // where the clock is in that period, 0..1
};

}  // namespace lw::gui
