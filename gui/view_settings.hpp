// What the viewer's panels edit (ViewSettings) and what they show (ViewStatus): plain structs
// the stage loop reads and fills, so the loop never reaches into the UI. The walks themselves
// are a Preset, the same struct a preset file holds, so whatever the panels set can be saved,
// loaded and recorded exactly.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/preset.hpp"
#include "renderer/tile_layout.hpp"

namespace lw::gui {

class FrameTimeHistory;

struct ViewSettings {
  bool playing = true;
  bool show_ui = true;
  Preset scene;                  // the walks, edits, space and clock (paths absolute)
  int selected_tile = 0;         // the tile the Walk panel edits; clicking a tile selects it
  std::string open_panel;        // a panel's tab to bring to the front once ("walk", "directions", ...); the UI clears it
  bool fullscreen = false;
  int step_frames = 0;           // frames to step while paused (arrow keys); the loop consumes them
  bool restart_clock = false;    // back to t = 0: every loop on its downbeat (the loop consumes it)
  bool screenshot_requested = false;  // S: save the next frame as presented
  bool capture = false;          // live capture: record frames as they are presented
  bool record_requested = false; // render the current preset to a video in the background
  // Files the panels ask the loop to open or write; it clears each request once handled.
  std::string model_path;        // Model: a folder or .pt to open
  bool open_model = false;
  std::string direction_path;    // Directions: a [k, d] .npy to add to the list
  bool open_direction = false;
  std::string preset_path = "latentwalk-preset.json";  // Presets: the file to save or load
  bool save_preset = false, load_preset = false;
};

// Metrics along each tile's walk over one period, for the compare plots.
struct PathPlot {
  std::string label;
  std::vector<float> log_density, norm, realism;  // empty: not available for this model
};

// One entry of the Directions panel: a boundary, a discovered direction or an opened file.
struct DirectionEntry {
  std::string name;   // "age", "discovered 3", "mine.npy[0]"
  std::string group;  // "boundary", "discovered", "opened"
  DirectionRef ref;   // absolute file and row
};

struct ViewStatus {
  std::string model;       // name from the manifest
  std::string model_folder;
  int latent_dim = 0, w_dim = 0, num_ws = 0, height = 0, width = 0;
  bool input_transform = false;  // StyleGAN3: the image can be rotated and moved
  std::string generator_device = "cpu";  // where LibTorch runs the generator
  std::string sink;        // "host-staging" or "cuda-shared"
  std::string sink_reason; // why that sink runs
  std::string device;      // the Vulkan device
  double time = 0.0;       // clock, seconds
  float eps = 0.f;         // the first direction walk's current step size
  std::uint64_t frames = 0, batches = 0;
  const FrameTimeHistory* history = nullptr;
  std::vector<DirectionEntry> directions;  // for the scene's space
  std::vector<std::string> preset_files;   // presets found beside the model and in the recordings folder
  std::string scene_error;     // why the last edit was not applied (the walks stay as they were)
  std::string message;         // the last open / save / load, or its error
  std::string capture_status;  // live capture: where and how many frames, or the last error
  std::string record_status;   // background recording: progress, where it went, or its error
  bool recording = false;      // a background recording is running
  std::vector<PathPlot> paths;  // one per tile, sampled evenly over the plots' span
  float path_phase = 0.f;       // where the clock is in that span, 0..1
  std::vector<renderer::Rect> tiles;  // where the tiles are drawn, for labels and selection
};

}  // namespace lw::gui
