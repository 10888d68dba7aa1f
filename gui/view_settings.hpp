// What the viewer's panels edit (ViewSettings) and show (stage::StageStatus): the panels never
// reach into the stage. The walks are a Preset, the same struct a preset file holds: the stage
// brings its values up to date before the panels draw (sync_panels) and takes back what they
// changed (edit): values through the parameter registry, structure as a new scene. Requests
// (open, save, load, record, screenshot, tap, ...) are commands queued for the stage.
#pragma once

#include <string>
#include <vector>

#include "app/stage/stage_status.hpp"
#include "core/preset.hpp"
#include "renderer/tile_layout.hpp"

namespace lw::gui {

using stage::Command;
using stage::DirectionEntry;
using ViewStatus = stage::StageStatus;
using PathPlot = PathMetrics;

// How the Directions panel fitted its list last time it drew (reports, tests): every direction
// listed, no name cut off, every slider wide enough to read and drag.
struct DirectionsFit {
  int listed = 0;
  int clipped_names = 0;
  bool stacked = false;         // too narrow for name and slider side by side: the slider goes under the name
  float narrowest_slider = 0.f; // pixels
};

struct ViewSettings {
  bool playing = true;
  bool show_ui = true;
  Preset scene;                  // the walks, edits, space and clock (paths absolute)
  int selected_tile = 0;         // the tile the Walk panel edits; clicking a tile selects it
  std::string open_panel;        // a panel's tab to bring to the front once ("walk", "directions", ...); the UI clears it
  bool fullscreen = false;
  bool capture = false;          // the live capture checkbox (the stage is told when it changes)
  float ui_scale = 1.f;          // fonts and widgets (Ctrl +/-); the side bar and plot strip grow with it
  std::vector<renderer::Rect> drawn_windows;  // where the UI's windows were drawn last frame (reports, tests)
  DirectionsFit directions_fit;               // the Directions panel's, when it last drew
  // Text fields of the panels.
  std::string model_path;        // Model: a folder or .pt to open
  std::string direction_path;    // Directions: a [k, d] .npy to add to the list
  std::string photo_path;        // Model: a photo (.png) the direction walks start from
  std::string preset_path = "latentwalk-preset.json";  // Presets: the file to save or load
  std::vector<Command> commands;  // for the stage, in order; the window hands them over each frame
};

}  // namespace lw::gui
