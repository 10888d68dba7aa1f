// The stage: the session (model, scene, directions) on the generator worker, the frame sink and
// the frame renderer composed, drawing one frame of the walk at a time. It owns no window and no
// UI: a window's composition (app/) or a headless run drives it, and outputs observe the frames.
//
// One frame is begin_frame(), then end_frame(overlay). Two pacing policies:
//   display-paced (a window): the clock moves by the frame's real duration while playing, the
//     frame is posted to the worker and the newest finished batch is drawn; nothing waits.
//   content-paced (headless, recording): frame k is clock time start + k / fps exactly; the
//     worker works a frame ahead and the stage waits for frame k's batch.
// Parameters (the registry) may move between frames at no cost: the next frame's request carries
// the new values. Structure changes (edit(), commands) are built on the worker; the last good
// scene plays until a new one is ready, and one that fails to build leaves it playing.
//
// The render thread makes no LibTorch call; `view --json` reports the count, measured with an
// ATen observer on the thread that runs the stage (render_thread_torch_calls).
#pragma once

#include <atomic>
#include <chrono>
#include <functional>
#include <cstdint>
#include <filesystem>
#include <future>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "app/stage/frame_time_history.hpp"
#include "app/stage/stage_status.hpp"
#include "core/automation.hpp"
#include "core/binding_engine.hpp"
#include "core/parameters.hpp"
#include "core/preset.hpp"
#include "core/scene_parameters.hpp"
#include "core/track_analysis.hpp"
#include "core/walk_clock.hpp"
#include "interop/sink_choice.hpp"
#include "renderer/context.hpp"
#include "renderer/frame_renderer.hpp"
#include "renderer/render_target.hpp"

namespace lw::control {
class AudioInput;
struct RawMidi;
template <typename T, std::size_t N>
class SpscQueue;
using MidiQueue = SpscQueue<RawMidi, 4096>;
class LinkSession;
class MidiDecoder;
class MidiClockTempo;
class OscServer;
class OscSender;
class Playback;
struct Routed;
}  // namespace lw::control

namespace lw::plugin {
struct Model;
}

namespace lw::stage {

class FrameObserver;
class LiveCapture;
class Overlay;
class GeneratorWorker;
class BackgroundRecord;
class PhotoInversion;
class TorchCallCounter;
struct FrameRequest;
struct ImageBatch;
class Session;

// What the worker hands back after a session request: the outcome and the session as it is now.
struct SessionUpdate {
  SessionOutcome outcome;
  SessionState state;
  std::shared_ptr<const plugin::Model> model;
  std::uint64_t builds = 0;  // scenes built by the session so far
};

enum class Pacing { Display, Content };

struct StageOptions {
  std::filesystem::path model = "assets/models/synthfaces";
  std::optional<std::filesystem::path> direction;  // default walks along this [1, d] .npy
  std::optional<Preset> preset;                    // paths absolute (read_preset_resolved)
  std::optional<std::filesystem::path> preset_file;
  int seed = 0;
  bool difference = false;  // the default comparison with its difference tile
  Pacing pacing = Pacing::Content;
  double fps = 30.0;         // content-paced: frame k is start_time + k / fps; display: arrow steps
  double start_time = 0.0;   // clock time of the first frame
  bool playing = true;       // display-paced: the clock runs
  int threads = 0;           // generator threads; 0: all cores but the render loop's
  std::string generator_device = "auto";  // "cpu", "cuda", or "auto": CUDA with the CUDA hand-off
  interop::SinkPreference sink = interop::SinkPreference::Auto;
  std::filesystem::path recordings = ".";  // screenshots, recordings, captures, saved presets
  std::vector<std::string> assignments;    // "PATH=VALUE", applied before the first frame
  std::int64_t frames = 0;                 // content-paced: frames to draw (nothing is asked beyond); 0: no end
  // Content-paced: a performance replayed (record --automation): frame k shows the clock, walk
  // time and values the timeline had k / fps seconds in.
  std::shared_ptr<const Automation> replay;
  // The tiles' labels over a frame of a background recording (Dear ImGui in app/); empty: none.
  std::function<std::unique_ptr<Overlay>(const renderer::Context&, VkRenderPass, int frames_in_flight)> labels;
};

// The overlay a frame draws over its tiles: the window's panels and the tiles' labels (Dear
// ImGui in app/), or nothing.
class Overlay {
 public:
  virtual ~Overlay() = default;
  // Builds this frame's overlay for a target of `extent` pixels, `dt` seconds after the last.
  virtual void build(const StageStatus& status, VkExtent2D extent, float dt) = 0;
  // Records it into the frame's render pass.
  virtual void record(VkCommandBuffer cmd) = 0;
  // Where the tiles go in a target of `extent` pixels: all of it, unless the overlay keeps a
  // part for its panels (no panel covers a tile).
  virtual renderer::Rect tile_area(VkExtent2D extent) const {
    return {0.f, 0.f, static_cast<float>(extent.width), static_cast<float>(extent.height)};
  }
};


class Stage {
 public:
  // Loads the model on the worker (`shared`: use this loaded model instead, as a background
  // recording does) and builds the first scene; throws naming what does not load.
  Stage(renderer::Context& context, renderer::RenderTarget& target, StageOptions options,
        std::shared_ptr<const plugin::Model> shared = {});
  ~Stage();
  Stage(const Stage&) = delete;
  Stage& operator=(const Stage&) = delete;

  VkRenderPass render_pass() const;
  int frames_in_flight() const { return kFramesInFlight; }
  // One frame with every pipeline in use (tiles and overlay) before anything is timed: drivers
  // that compile shaders on first use (lavapipe's JIT does) would otherwise stall timed frames.
  void warm_up(Overlay* overlay);

  // Starts a frame (see the pacing above); `dt`: display-paced, the seconds since the last frame.
  // `exact`: display-paced, wait for this frame's own batch (a screenshot of a given frame).
  // False: no frame this time (the target is being remade); call again.
  bool begin_frame(double dt = 0.0, bool exact = false);
  // Builds the overlay, records and submits the frame begun.
  void end_frame(Overlay* overlay);
  // Waits for every frame in flight and delivers their readbacks (throws an observer's error).
  void finish();
  // Waits for every frame in flight without delivering anything, never throwing: before an
  // overlay or an observer the frames used goes, whatever ended the run.
  void abandon() noexcept;

  ParameterRegistry& parameters() { return registry_; }
  const ParameterRegistry& parameters() const { return registry_; }
  const WalkClock& clock() const { return clock_; }
  // The bindings at work and what each did on the last frame (the Controls panel's meters).
  const BindingEngine& bindings() const { return bindings_; }
  void set_playing(bool playing);
  // The walks as the panels have them: values go to the registry; a changed structure is
  // built on the worker.
  void edit(const Preset& panels);
  // Carries out a command (stage_status.hpp) at once or from the next frame.
  void command(const Command& c);
  // The panels' copy of the walks brought up to date before they draw: replaced after a build,
  // a load or a failed edit; otherwise its values follow the registry (OSC, --set, taps).
  void sync_panels(Preset& panels);
  // Saves the walks as set now (what the Presets panel saves), waiting for it; throws naming
  // what went wrong.
  void save_preset(const std::filesystem::path& path);
  // Computes the compare plots while the walks change (a window showing its panels).
  void want_plots(bool on) { plots_wanted_ = on; }
  void wait_plots();  // until the plots of the current walks are in the status

  // Live control: `server`'s messages are drained at the start of every frame, before anything
  // reads the registry (so a value sent now shows in the next frame); `feedback`, when given,
  // is sent every value that changed since the frame before, whoever changed it. Both outlive
  // the stage or are detached with nullptr.
  void attach_osc(control::OscServer* server, control::OscSender* feedback);
  // Live audio: the features analysed since the last frame feed the bindings' audio sources
  // (level, bass, mid, high: the newest; onset, beat: 1 in a frame that had one, else 0).
  void attach_audio(control::AudioInput* input);
  // MIDI: control changes, notes and pitch bend feed the bindings (and learning); an incoming
  // clock sets /clock/bpm, start and stop play and pause.
  void attach_midi(control::MidiQueue* midi);
  // Ableton Link: /clock/bpm follows the session's tempo (and a tempo set here is proposed to it);
  // display-paced, the clock follows the session's beats, so loops in beats land on its bars.
  void attach_link(control::LinkSession* link);
  // A track drives the walks: its frames' features feed the bindings' audio sources and the clock
  // reads the track (its beats when the walks count beats, /clock/bpm at its tempo).
  // Content-paced, from start_time on: every frame's values are worked out ahead
  // (perform_track) and replayed, as a recording is. Display-paced: the clock follows `playback`'s
  // position, and each frame takes the features of the audio played since the last. `name`: the
  // track's file, for the status.
  void attach_track(std::shared_ptr<const TrackAnalysis> track, const std::string& name, control::Playback* playback = nullptr);
  // Records every frame's clock, walk time and changed values from now on (a live set, to be
  // re-rendered offline with record --automation); stop() returns the timeline.
  void start_automation();
  std::optional<Automation> stop_automation();

  void add_observer(FrameObserver* observer);
  void remove_observer(FrameObserver* observer);

  const StageStatus& status() const { return status_; }
  const FrameTimeHistory& history() const { return history_; }
  StageCounters counters() const;
  std::span<const renderer::Rect> tile_rects() const { return status_.tiles; }
  // The walks as applied now with the registry's values: what a save writes and a recording plays.
  Preset current_preset() const;
  std::shared_ptr<const plugin::Model> model() const { return model_; }
  // The first frames' requests (up to 256) through the generator alone, on the worker, with the
  // same threads: what the pipeline's throughput is measured against. Batches per second.
  double generator_only_fps();
  const renderer::Context& context() const { return context_; }
  const interop::FrameSink& sink() const { return *sink_.sink; }
  bool gpu_generator() const { return gpu_generator_; }

 private:
  static constexpr int kFramesInFlight = 2;
  static constexpr std::uint64_t kTimedBatches = 256;  // requests kept to time the generator alone afterwards
  void take_session_updates();
  void settle();  // waits for the session requests in flight and applies them
  void apply_update(SessionUpdate& u);
  void post(std::uint64_t frame);
  void post_ahead();
  void check_worker() const;
  const ImageBatch* wait_batch(std::uint64_t wanted_id);
  const ImageBatch* next_batch(double dt, bool exact);
  void show(const ImageBatch& batch);
  void request_plots();
  void lay_out_tiles(const Overlay* overlay, VkExtent2D extent);
  void deliver(std::uint64_t submitted, const renderer::ReadbackImage& image);
  void run_session_task(std::function<SessionUpdate(Session&)> task);
  void recording_command(const Command& c);
  void update_recordings();
  // A photo as the direction walks' start (stage_photo.cpp).
  void open_photo(const std::filesystem::path& photo, int steps);
  void update_photo();
  // Live control (stage_controls.cpp).
  void drain_controls(double dt);
  double frame_clock_time() const;  // the clock time of the frame being begun
  void osc_trigger(const control::Routed& routed);
  void osc_edit(const std::string& name, double alpha);
  void osc_code(int tile, const std::vector<double>& code);
  bool code_fits(int tile, std::size_t numbers) const;  // a start code this scene's tile takes
  void send_feedback();
  void drain_audio();
  void take_audio(const AudioFeatures& frame);
  void audio_triggers(const std::vector<BindingEngine::AudioTrigger>& fired);
  bool ignored_under_track(const std::string& address);  // a render plays no trigger: listed instead
  double stage_seconds() const;  // since the stage began: the clock taps are timed on
  void follow_track();
  void follow_track_with_scene();  // the track's clock and (content-paced) values for the scene now
  void drain_midi();
  void follow_link();
  bool learned(const BindingSource& source);  // binds the parameter being learned to `source`
  void set_bindings(std::vector<Binding> bindings);

  renderer::Context& context_;
  renderer::RenderTarget& target_;
  StageOptions options_;
  std::unique_ptr<TorchCallCounter> torch_calls_;
  interop::SinkChoice sink_;
  bool gpu_generator_ = false;
  int threads_ = 1;
  std::unique_ptr<renderer::FrameRenderer> frames_;
  std::unique_ptr<GeneratorWorker> worker_;
  std::shared_ptr<const plugin::Model> model_;
  ParameterRegistry registry_;
  SceneParameters layout_;
  WalkClock clock_;
  StageStatus status_;
  FrameTimeHistory history_{1024};
  std::vector<FrameObserver*> observers_;
  std::vector<std::future<SessionUpdate>> session_tasks_;
  std::future<std::vector<PathMetrics>> plots_;
  bool plots_wanted_ = false;
  std::uint64_t plotted_version_ = 0, plotted_changes_ = UINT64_MAX;
  std::vector<std::shared_ptr<void>> slot_storage_;  // each frame slot's batch, kept until its fence
  std::vector<FrameRequest> timed_;  // the first requests, for generator_only_fps
  // Frames: ids of requests posted for content-paced frames, and what they were posted with.
  std::uint64_t next_id_ = 1, shown_id_ = 0, frame_ = 0, warmup_frames_ = 0;
  std::vector<std::pair<std::uint64_t, std::uint64_t>> posted_;  // (frame, id), oldest first
  std::uint64_t posted_changes_ = 0, posted_version_ = 0;
  StageCounters counters_;
  std::uint64_t first_builds_ = 0;
  std::chrono::steady_clock::time_point first_batch_{}, last_batch_{}, last_frame_start_{}, last_timed_batch_{};
  std::uint64_t timed_batches_ = 0;
  // The window's recordings: screenshots, live capture, background records (stage_recording.cpp).
  std::vector<std::unique_ptr<FrameObserver>> owned_observers_;
  LiveCapture* capture_ = nullptr;  // among owned_observers_ while capturing
  bool panels_reset_ = false;
  std::optional<Preset> queued_edit_;    // a structure edit waiting for the build in flight
  std::optional<Preset> synced_panels_;  // the panels as sync_panels left them this frame
  std::uint64_t panels_version_ = 0;
  double dt_ = 0.0;
  std::chrono::steady_clock::time_point created_ = std::chrono::steady_clock::now();
  double audio_epoch_ = 0.0;  // stage seconds when the audio input was attached: its time 0
  std::unique_ptr<BackgroundRecord> background_;
  std::unique_ptr<PhotoInversion> photo_;
  // Live control (stage_controls.cpp).
  control::OscServer* osc_ = nullptr;
  control::OscSender* feedback_ = nullptr;
  control::AudioInput* audio_ = nullptr;
  control::MidiQueue* midi_ = nullptr;
  control::LinkSession* link_ = nullptr;
  double link_bpm_ = 0.0;  // the tempo last taken from or given to Link
  std::shared_ptr<const TrackAnalysis> track_;
  control::Playback* playback_ = nullptr;
  BeatGrid track_grid_;          // what the clock follows under the track (none: its seconds)
  double track_position_ = -1.0;  // the playback position the last frame took its audio up to
  bool track_started_ = false;     // display-paced: the playback runs from the first frame on
  std::unique_ptr<AutomationRecorder> automation_;
  std::chrono::steady_clock::time_point automation_start_{};
  std::unique_ptr<control::MidiDecoder> midi_decoder_;
  std::unique_ptr<control::MidiClockTempo> midi_clock_;
  std::vector<double> fed_back_;  // the values as last sent to feedback_
  BindingEngine bindings_;        // the applied preset's bindings, evaluated every frame
};

// "20261122-231500": names for recordings (and photos' codes) that sort by time.
std::string recording_timestamp();

// Draws `frames` content-paced frames; stops with an error when `interrupted` is set (Ctrl-C
// during a recording: no partial video), and ends early without one when `stop` is set (Ctrl-C
// during a headless view: what was drawn is kept). `progress(k)` after frame k - 1 of them is
// drawn. `before_overlay`, when set, runs after each frame begins and before its overlay is built
// (the panels' copy of the walks brought up to date).
void run_frames(Stage& stage, std::int64_t frames, Overlay* overlay, const std::atomic<bool>* interrupted,
                const std::function<void(std::int64_t)>& progress = {}, const std::function<void()>& before_overlay = {},
                const std::atomic<bool>* stop = nullptr);

}  // namespace lw::stage
