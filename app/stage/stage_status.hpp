// What the stage shows and what it is asked to do, as plain structs: the panels read StageStatus
// and queue Commands; the stage never reaches into the UI and the UI never into the stage.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/binding_engine.hpp"
#include "core/path_metrics.hpp"
#include "gui/control/osc_message.hpp"
#include "core/preset.hpp"
#include "renderer/tile_layout.hpp"

namespace lw::stage {

class FrameTimeHistory;

// A request from the UI (or, next, from OSC and MIDI): carried out by the stage at the start of
// the next frame, in the order queued.
struct Command {
  enum class Kind {
    OpenModel,      // text: a model folder or .pt
    OpenDirection,  // text: a [k, d] .npy to add to the Directions list
    SavePreset,     // text: where to save the walks as they are set now
    LoadPreset,     // text: the preset to load (with its model when it names another)
    Screenshot,     // the next frame as presented, to the recordings folder
    Record,         // the walks as set now rendered to a video in the background
    Capture,        // on: capture the frames as presented; off: stop and finish the file
    Restart,        // the downbeat: the clock back to 0
    Step,           // count: frames to step (paused), negative backwards
    Tap,            // tap tempo: now, or `at` (an onset's time, seconds since the stage began)
    Learn,          // text: the parameter the next MIDI control or OSC address moved is bound to ("": cancel)
    Unbind,         // text: the parameter whose bindings are removed
    OpenPhoto,      // text: a PNG, inverted off the render thread (count: Adam steps, 0: 300); the direction walks then start from it
  };
  Kind kind;
  std::string text;
  int count = 0;
  bool on = false;
  std::optional<double> at;
};

// One entry of the Directions panel: a boundary, a discovered direction or an opened file.
struct DirectionEntry {
  std::string name;   // "age", "discovered 3", "mine.npy[0]"
  std::string group;  // "boundary", "discovered", "opened"
  DirectionRef ref;   // absolute file and row
  std::string about;  // a discovered one's measure, for its tooltip: "age carries 62% of its change (semantic)"
};

// What a session request changed, and what the user is told about it.
enum class SessionChange { None, Walks, Tiles, Model };
struct SessionOutcome {
  SessionChange change = SessionChange::None;
  std::string message;      // for the status line; empty when there is nothing to say
  std::string scene_error;  // set when new walks did not build (the last ones still run)
  bool values_from_preset = false;  // a preset was loaded: its values replace the registry's
};

// What the session publishes each time it changes: the model, the scene and the lists.
struct SessionState {
  std::uint64_t version = 0;  // of the scene; grows with every build
  Preset applied;             // the preset the scene was built from (paths absolute)
  std::vector<std::string> labels;
  int tiles = 0;
  std::string model;          // name from the manifest
  std::string model_folder;
  int latent_dim = 0, w_dim = 0, num_ws = 0, height = 0, width = 0;
  bool input_transform = false;  // StyleGAN3: the image can be rotated and moved
  std::vector<DirectionEntry> directions;  // for the scene's space
  std::vector<std::string> preset_files;   // presets found beside the model and in the recordings folder
  std::string described;                   // "the preset P" or "DIRECTION in SPACE"
};

struct StageCounters {
  std::uint64_t frames = 0;        // drawn
  std::uint64_t batches = 0;       // generator batches shown
  std::uint64_t scene_rebuilds = 0;  // scenes built after the first (structure changes)
  std::uint64_t render_thread_torch_calls = 0;  // LibTorch operators run by the stage's thread
  std::uint64_t stale_batches = 0;  // finished for values or a scene replaced before they were shown
  double pipeline_fps = 0.0;        // batches shown per second, first to last
};

// Live control over OSC, as the Performance panel and `view --json` show it.
struct OscStatus {
  std::string listening;       // "127.0.0.1:9000"; empty: OSC is off
  std::string feedback;        // "HOST:PORT" values are sent to; empty: none
  control::OscCounters input;  // packets, messages, malformed, dropped for a full queue
  unsigned long long applied = 0;   // messages that set a parameter
  unsigned long long bound = 0;     // messages taken by a binding (its source address)
  unsigned long long triggers = 0;  // taps, downbeats, loads, captures, screenshots
  unsigned long long edits_added = 0;  // /edit/NAME/alpha that added an edit
  unsigned long long unknown = 0;   // addresses the stage does not answer
  unsigned long long rejected = 0;  // known addresses with arguments they do not take (NaN, none, a blob)
  unsigned long long feedback_sent = 0, feedback_dropped = 0;
};

// Live audio, as the Performance panel and `view --json` show it: the last hop's features.
struct AudioStatus {
  std::string source;  // the device or file; empty: no audio input
  unsigned long long hops = 0, dropped_samples = 0, dropped_features = 0, onsets = 0, beats = 0;
  double level = 0.0, bass = 0.0, mid = 0.0, high = 0.0, bpm = 0.0;
};

// A track driving the walks (a music video, or one played live): what its analysis found, and
// live where the playback is.
struct TrackStatus {
  std::string source;  // the track's file; empty: none
  double seconds = 0.0, bpm = 0.0, position = 0.0;
  std::size_t onsets = 0;
  bool audible = false;               // live: played on an output device (else on the clock, silently)
  std::vector<std::string> ignored;   // trigger targets bindings fired that a render does not carry out
};

// MIDI in, and learning: the next control moved (MIDI or OSC) is bound to `learning`.
struct MidiStatus {
  bool attached = false;
  unsigned long long messages = 0, bound = 0, ignored = 0;
  double clock_bpm = 0.0;  // the tempo of an incoming MIDI clock; 0: none
  std::string last;        // "CC 21 ch 1 = 64", for the panel
};

// Ableton Link, when joined: its peers, tempo and beat as of the last frame.
struct LinkStatus {
  bool joined = false;
  std::size_t peers = 0;
  double tempo = 0.0, beat = 0.0;
};

struct StageStatus {
  SessionState session;
  std::string generator_device = "cpu";  // where LibTorch runs the generator
  std::string sink;         // "host-staging" or "cuda-shared"
  std::string sink_reason;  // why that sink runs
  std::string device;       // the Vulkan device
  double time = 0.0;        // clock, seconds
  float eps = 0.f;          // the first direction walk's step in the frame shown
  bool playing = true;
  StageCounters counters;  // as of the frame before this one (frames drawn, batches shown, ...)
  OscStatus osc;
  AudioStatus audio;
  TrackStatus track;
  MidiStatus midi;
  LinkStatus link;
  std::string learning;  // a parameter waiting for the next control moved; empty: none
  std::vector<BindingEngine::Meter> binding_meters;  // one per binding of session.applied, as of the last frame
  const FrameTimeHistory* history = nullptr;
  std::string scene_error;     // why the last edit was not applied (the walks stay as they were)
  std::string message;         // the last open / save / load, or its error
  std::string capture_status;  // live capture: where and how many frames, or the last error
  std::string record_status;   // background recording: progress, where it went, or its error
  std::string photo_status;    // a photo being inverted: progress, then its PSNR and code file, or the error
  bool inverting = false;
  bool recording = false, capturing = false;
  std::vector<PathMetrics> paths;  // one per tile, sampled evenly over the plots' span
  float path_phase = 0.f;          // where the walk is in that span, 0..1
  std::vector<renderer::Rect> tiles;  // where the tiles are drawn, for labels and selection
};

}  // namespace lw::stage
