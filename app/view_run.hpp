// `latentwalk view` and `latentwalk record` put together: a window (or an offscreen target), the
// stage, the overlay and the outputs, driven display-paced in a window and content-paced
// headless, then the report. The frame engine itself is app/stage.
#pragma once

#include <atomic>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "core/automation.hpp"
#include "interop/sink_choice.hpp"

namespace lw::app {

struct MusicTrack;  // app/music_track.hpp

struct ViewOptions {
  std::filesystem::path model = "assets/models/synthfaces";
  std::optional<std::filesystem::path> direction;  // [1, d] .npy; default: the model's age boundary in Z
  std::optional<std::filesystem::path> preset;     // tiles, model and walks from a preset file instead
  std::vector<std::string> assignments;             // --set PATH=VALUE, applied before the first frame
  double start_time = 0.0;                          // clock time of the first frame, seconds
  bool headless = false;
  std::int64_t frames = 0;                          // 0: until the window closes
  std::optional<std::filesystem::path> out;         // headless: frame_0000.png ...
  std::optional<std::filesystem::path> screenshot;  // the last frame as presented, UI included
  std::optional<std::filesystem::path> video;       // headless: every frame into this H.264 MP4
  int crf = 18;
  std::string video_speed = "veryfast";
  bool show_ui = true;  // the panels (tile labels are always drawn)
  bool difference = false;  // one more tile: |tile 1 - tile 2|
  float ui_scale = 0.f;  // fonts and widgets; 0: the monitor's content scale in a window, 1 headless
  bool paused = false;  // a window: start paused at start_time
  std::string panel = "walk";  // the panel in front at start
  interop::SinkPreference sink = interop::SinkPreference::Auto;  // the hand-off path
  std::string generator_device = "auto";  // "cpu", "cuda", or "auto": CUDA with the CUDA hand-off and a CUDA LibTorch
  std::optional<std::filesystem::path> save_preset;  // the walks as set at the end, as a preset
  int width = 1280, height = 720;
  int seed = 0;
  int threads = 0;  // generator threads; 0: all cores but the render loop's
  double fps = 30.0;  // headless: clock seconds advance 1/fps per frame
  const std::atomic<bool>* interrupted = nullptr;  // when set (Ctrl-C), stop and write no video
  const std::atomic<bool>* stop = nullptr;  // when set (Ctrl-C, SIGTERM), end after the frame in flight, as a closed window does
  double stats_every = 0.0;  // headless: > 0, a JSON line of figures on stdout every this many seconds
  bool progress = false;  // headless: a progress bar of the frames on stderr
  // A window: where the panel's Record control and live capture write their files, and a file to
  // capture live from the first frame on.
  std::filesystem::path recordings = ".";
  std::optional<std::filesystem::path> capture;
  // Live control: an OSC server on this port (0: one the system picks), on loopback unless
  // osc_bind says otherwise; feedback of changed values to osc_send ("HOST:PORT").
  std::optional<int> osc_port;
  std::string osc_bind = "127.0.0.1";
  std::optional<std::string> osc_send;
  // Live audio for the bindings: a capture device ("default" or part of a name), or a file
  // played into the same analysis in real time (looping).
  std::optional<std::string> audio_in;
  std::optional<std::filesystem::path> audio_file;
  // MIDI in: the ALSA sequencer port "latentwalk", and a connection to ports whose name contains
  // midi_from.
  bool midi = false;
  std::string midi_from;
  bool link = false;  // join the Ableton Link session: tempo and bars shared on the local network
  // The session as a timeline (every frame's clock and moved values), written at the end.
  std::optional<std::filesystem::path> save_automation;
  // A track driving the walks' bindings and clock (start_time: its second of the first frame).
  // Headless: every frame's values worked out ahead from its analysis, a video gets its sound and
  // --out a WAV beside the frames (a music video). In a window: played, the clock following it.
  std::shared_ptr<const MusicTrack> track;
  // Headless: a recorded timeline replayed (its walks instead of a preset).
  std::shared_ptr<const Automation> replay;
};

struct ViewResult {
  nlohmann::json report;  // what `view --json` prints
  std::string summary;    // the same in words
  std::uint64_t frames = 0;
  double render_seconds = 0.0;  // the frame loop, less the time it waited for the video encoder
  double wall_seconds = 0.0;    // from the first frame until every file is complete
  double track_seconds = 0.0;   // decoding and analysing the track
};

ViewResult run_view(const ViewOptions& options);

}  // namespace lw::app
