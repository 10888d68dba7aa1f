#include "app/view_run.hpp"

#include <unistd.h>

#include <chrono>
#include <fstream>
#include <iostream>
#include <memory>

#include "app/stage/frame_outputs.hpp"
#include "app/stage/stage.hpp"
#include "app/view_report.hpp"
#ifdef LW_HAVE_VIDEO
#include "app/audio_file_player.hpp"
#include "app/music_track.hpp"
#include "renderer/audio_writer.hpp"
#endif
#include "gui/control/audio_input.hpp"
#include "gui/control/link_session.hpp"
#include "gui/control/midi_input.hpp"
#include "gui/control/osc_sender.hpp"
#include "gui/control/osc_server.hpp"
#include "gui/control/track_player.hpp"
#include "core/base/atomic_file.hpp"
#include "core/base/check.hpp"
#include "core/preset.hpp"
#include "core/base/progress.hpp"
#include "renderer/context.hpp"
#include "renderer/offscreen_target.hpp"
#ifdef LW_HAVE_WINDOW
#include "app/view_window.hpp"
#include "gui/stage_layout.hpp"
#include "gui/stage_overlay.hpp"
#include "gui/view_settings.hpp"
#include "renderer/swapchain_target.hpp"
#include "renderer/window.hpp"
#endif

namespace lw::app {
namespace fs = std::filesystem;

namespace {

// Resident memory of this process, from /proc (0 where there is none).
double resident_megabytes() {
  std::ifstream statm("/proc/self/statm");
  long pages = 0, resident = 0;
  if (!(statm >> pages >> resident)) return 0.0;
  return static_cast<double>(resident) * static_cast<double>(sysconf(_SC_PAGESIZE)) / (1024.0 * 1024.0);
}

// One line of a long headless run's figures: the soak test reads them.
void print_stats(const stage::Stage& stage, double seconds, std::int64_t frames) {
  const auto* history = stage.status().history;
  nlohmann::json line{{"seconds", seconds}, {"frames", frames}, {"rss_mb", resident_megabytes()}};
  if (history) {
    line["frame_ms"] = {{"p50", history->percentile(stage::Timing::Frame, 0.5f)},
                        {"p99", history->percentile(stage::Timing::Frame, 0.99f)}};
  }
  line["osc"] = {{"applied", stage.status().osc.applied}, {"rejected", stage.status().osc.rejected},
                 {"triggers", stage.status().osc.triggers}};
  line["capture"] = stage.status().capture_status;
  std::cout << line.dump() << std::endl;
}

using Clock = std::chrono::steady_clock;

void check_options(const ViewOptions& o) {
  LW_EXPECT(o.frames >= 0, "--frames must be 0 (until the window closes) or more");
  LW_EXPECT(o.headless || !o.out, "--out writes the frames of a headless run; add --headless");
  LW_EXPECT(!o.headless || o.frames > 0, "a headless run needs --frames N");
  LW_EXPECT(o.fps > 0.0, "--fps must be positive");
  if (o.save_automation) {
    const auto parent = o.save_automation->has_parent_path() ? o.save_automation->parent_path() : std::filesystem::path(".");
    LW_EXPECT(std::filesystem::is_directory(parent), "output folder " << parent.string() << " does not exist");
  }
  LW_EXPECT(o.headless || !o.video, "videos are recorded headless");
  LW_EXPECT(!(o.track && o.audio_file), "give --audio (a track that drives the walks) or --audio-file, not both");
  LW_EXPECT(!(o.track && o.replay), "a replayed performance has its values already; it takes no track");
  LW_EXPECT(!(o.track && o.start_time < 0.0), "a track starts at its second 0 or later");
  LW_EXPECT(!o.headless || !o.capture, "--capture records a window's frames as they are presented; headless, use record");
#ifndef LW_HAVE_WINDOW
  LW_EXPECT(o.headless, "this latentwalk was built without a window (GLFW and Dear ImGui): run it with --headless");
#endif
#ifndef LW_HAVE_VIDEO
  LW_EXPECT(!o.video, "this latentwalk was built without the FFmpeg libraries, so it cannot record video");
  LW_EXPECT(!o.track, "this latentwalk was built without the FFmpeg libraries, so it cannot read a track");
  LW_EXPECT(!o.capture, "this latentwalk was built without the FFmpeg libraries, so it cannot capture video");
#endif
}

stage::StageOptions stage_options(const ViewOptions& o, const std::optional<Preset>& preset) {
  stage::StageOptions s;
  s.model = o.model;
  s.direction = o.direction;
  s.preset = preset;
  s.preset_file = o.preset;
  s.seed = o.seed;
  s.difference = o.difference;
  s.pacing = o.headless ? stage::Pacing::Content : stage::Pacing::Display;
  s.fps = o.fps;
  s.start_time = o.start_time;
  s.playing = !o.paused;
  s.threads = o.threads;
  s.generator_device = o.generator_device;
  s.sink = o.sink;
  s.recordings = o.recordings;
  s.assignments = o.assignments;
  s.frames = o.headless ? o.frames : 0;
  s.replay = o.replay;
#ifdef LW_HAVE_WINDOW
  s.labels = gui::labels_overlay();
#endif
  return s;
}

// The files a run writes, each an observer of the stage's frames.
struct Outputs {
  std::unique_ptr<stage::PngSequence> png;
  std::unique_ptr<stage::Screenshot> screenshot;
#ifdef LW_HAVE_VIDEO
  std::unique_ptr<stage::VideoOutput> video;
#endif

  stage::Stage& stage_;
  // `sound`: what a video's audio stream holds (the track from the first frame's time).
  Outputs(const ViewOptions& o, stage::Stage& stage, [[maybe_unused]] std::shared_ptr<const renderer::AudioTrack> sound)
      : stage_(stage) {
    if (o.out) png = std::make_unique<stage::PngSequence>(*o.out, o.width, o.height);
    if (o.screenshot) screenshot = std::make_unique<stage::Screenshot>(*o.screenshot, static_cast<std::uint64_t>(o.frames - 1));
#ifdef LW_HAVE_VIDEO
    if (o.video)
      video = std::make_unique<stage::VideoOutput>(*o.video, o.width, o.height, o.fps, o.crf,
                                                   o.video_speed, sound);
#endif
    for (stage::FrameObserver* observer : all())
      if (observer) stage.add_observer(observer);
  }
  ~Outputs() {
    stage_.abandon();  // no frame in flight reaches an output that is gone
    for (stage::FrameObserver* observer : all())
      if (observer) stage_.remove_observer(observer);
  }
  std::vector<stage::FrameObserver*> all() const {
#ifdef LW_HAVE_VIDEO
    return {png.get(), screenshot.get(), video.get()};
#else
    return {png.get(), screenshot.get()};
#endif
  }
  double encoder_wait_seconds() const {
#ifdef LW_HAVE_VIDEO
    return video ? video->encoder_wait_seconds() : 0.0;
#else
    return 0.0;
#endif
  }
};

#ifdef LW_HAVE_VIDEO
// The track's sound over the frames of a headless run that writes them, for the video and the
// WAV beside the frames: from the first frame's second to the last frame's end, or the track's
// (a video longer than its track goes on in silence, without sound).
std::shared_ptr<const renderer::AudioTrack> frames_sound(const ViewOptions& o, const MusicTrack* track) {
  if (!track || !o.headless || !(o.video || o.out)) return nullptr;
  const double seconds = std::min(static_cast<double>(o.frames) / o.fps, track->sound->seconds() - o.start_time);
  return std::make_shared<const renderer::AudioTrack>(cut_sound(*track->sound, o.start_time, std::max(seconds, 0.0)));
}
#endif

}  // namespace

ViewResult run_view(const ViewOptions& o) {
  check_options(o);
#ifdef LW_HAVE_VIDEO
  const MusicTrack* track = o.track.get();
  const auto sound = frames_sound(o, track);
#else
  const std::shared_ptr<const renderer::AudioTrack> sound;
#endif
  std::optional<Preset> preset;
  if (o.preset) preset = read_preset_resolved(*o.preset);  // a broken preset fails before anything opens
  if (o.replay) preset = o.replay->preset;
  if (preset && o.difference) preset->difference = true;

  // Declaration order is destruction order reversed: the window outlives the context (its
  // surface), the context outlives everything made on it.
  renderer::ContextOptions copts;
#ifdef LW_HAVE_WINDOW
  std::unique_ptr<renderer::Window> window;
  if (!o.headless) {
    window = std::make_unique<renderer::Window>("latentwalk", o.width, o.height);
    copts.instance_extensions = window->required_instance_extensions();
    copts.make_surface = [&](VkInstance instance) { return window->create_surface(instance); };
  }
#endif
  copts.preferred_uuid = interop::cuda_device_uuid();  // the GPU CUDA can share memory with
  renderer::Context context(copts);  // no display or no Vulkan device: fails here, before the slow parts

  std::unique_ptr<renderer::RenderTarget> target;
  if (o.headless)
    target = std::make_unique<renderer::OffscreenTarget>(context.vulkan_device(), static_cast<std::uint32_t>(o.width),
                                                         static_cast<std::uint32_t>(o.height), 2);
#ifdef LW_HAVE_WINDOW
  else
    target = std::make_unique<renderer::SwapchainTarget>(context, *window);
#endif
  // Live inputs before the stage: they outlive it (the stage only drains them).
  std::unique_ptr<control::OscServer> osc;
  std::unique_ptr<control::OscSender> osc_feedback;
  if (o.osc_port) {
    osc = std::make_unique<control::OscServer>(o.osc_bind, *o.osc_port);
    std::cerr << "latentwalk view: OSC on udp " << osc->bind_address() << ":" << osc->port()
              << (osc->loopback_only() ? " (this machine only; --osc-bind 0.0.0.0 accepts from the network)"
                                       : " (from the network: anyone who reaches this port can drive the stage)")
              << std::endl;
  }
  if (o.osc_send) osc_feedback = std::make_unique<control::OscSender>(*o.osc_send);
  std::unique_ptr<control::AudioInput> audio_device;
  if (o.audio_in) audio_device = control::AudioInput::open_device(*o.audio_in, {});
#ifdef LW_HAVE_VIDEO
  std::unique_ptr<AudioFilePlayer> audio_file;
  if (o.audio_file) audio_file = std::make_unique<AudioFilePlayer>(*o.audio_file);
  control::AudioInput* audio = audio_file ? &audio_file->input() : audio_device.get();
#else
  LW_EXPECT(!o.audio_file, "--audio-file needs latentwalk built with the FFmpeg libraries");
  control::AudioInput* audio = audio_device.get();
#endif
  std::unique_ptr<control::LinkSession> link;
  if (o.link) {
    link = std::make_unique<control::LinkSession>(preset && preset->bpm > 0.0 ? preset->bpm : 120.0);
    std::cerr << "latentwalk view: joined Ableton Link (tempo " << link->tempo() << " bpm, " << link->peers() << " peers)" << std::endl;
  }
  std::unique_ptr<control::MidiInput> midi;
  if (o.midi) {
    midi = std::make_unique<control::MidiInput>(o.midi_from);
    std::cerr << "latentwalk view: MIDI in on the ALSA port \"latentwalk\"";
    for (const auto& name : midi->connected()) std::cerr << ", from \"" << name << "\"";
    std::cerr << std::endl;
  }
  std::unique_ptr<control::TrackPlayer> player;
#ifdef LW_HAVE_VIDEO
  if (track && !o.headless) {
    player = std::make_unique<control::TrackPlayer>(track->sound->samples, track->sound->sample_rate, track->sound->channels, o.start_time);
    std::cerr << "latentwalk view: playing " << track->file.filename().string() << " on "
              << (player->audible() ? player->device() : "the clock, silently: " + player->device()) << std::endl;
  }
#endif
  stage::Stage stage(context, *target, stage_options(o, preset));
  stage.attach_osc(osc.get(), osc_feedback.get());
  stage.attach_audio(audio);
#ifdef LW_HAVE_VIDEO
  if (track) {
    stage.attach_track(track->analysis, track->file.filename().string(), player.get());
    for (const auto& target : stage.status().track.ignored)
      std::cerr << "latentwalk: a binding fires " << target << ", which a render with a track does not carry out" << std::endl;
  }
#endif
  if (link) stage.attach_link(link.get());
  if (midi) stage.attach_midi(&midi->queue());
  if (o.save_automation) stage.start_automation();
  stage::Overlay* overlay = nullptr;
#ifdef LW_HAVE_WINDOW
  gui::ViewSettings settings;
  settings.show_ui = o.show_ui;
  settings.playing = !o.paused;
  settings.preset_path = (o.recordings / "latentwalk-preset.json").string();
  settings.open_panel = o.panel;
  settings.capture = o.capture.has_value();
  settings.ui_scale = gui::clamp_ui_scale(o.ui_scale > 0.f ? o.ui_scale : window ? window->content_scale() : 1.f);
  gui::StageOverlay ui(context, stage.render_pass(), stage.frames_in_flight(), window.get(), o.show_ui ? &settings : nullptr);
  overlay = &ui;
#endif
  // Whatever ends the run, frames finish before the overlay's Vulkan objects go.
  struct Abandon {
    stage::Stage& stage;
    ~Abandon() { stage.abandon(); }
  } abandon{stage};
  stage.warm_up(overlay);
  Outputs outputs(o, stage, sound);

  const auto start = Clock::now();
  std::optional<ProgressBar> bar;
  if (o.progress && o.frames > 0) bar.emplace(o.video ? "record" : "render", o.frames, "frame");
#ifdef LW_HAVE_WINDOW
  if (window) {
    if (o.capture) stage.command({stage::Command::Kind::Capture, o.capture->string(), 0, true});
    run_window(*window, stage, ui, settings, o);
  }
#endif
  if (o.headless) {
    stage.want_plots(o.show_ui);
    auto next_stats = start + std::chrono::duration<double>(o.stats_every);
    auto progress = [&](std::int64_t done) {
      if (bar) bar->update(done);
      if (o.stats_every > 0.0 && Clock::now() >= next_stats) {
        print_stats(stage, std::chrono::duration<double>(Clock::now() - start).count(), done);
        next_stats = Clock::now() + std::chrono::duration<double>(o.stats_every);  // no burst after a slow frame
      }
      // A --screenshot with the panels shows the compare plots of its walks.
      if (o.screenshot && o.show_ui && done + 3 >= o.frames) stage.wait_plots();
    };
#ifdef LW_HAVE_WINDOW
    // Headless panels show the walks that play, as a window's do.
    auto panels = [&] { stage.sync_panels(settings.scene); };
    run_frames(stage, o.frames, overlay, o.interrupted, progress, o.show_ui ? std::function<void()>(panels) : nullptr, o.stop);
#else
    run_frames(stage, o.frames, overlay, o.interrupted, progress, {}, o.stop);
#endif
  }
  stage.finish();
  RunFigures figures;
  figures.loop_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  for (stage::FrameObserver* observer : outputs.all())
    if (observer) observer->finish();
  figures.encoder_wait_seconds = outputs.encoder_wait_seconds();
  figures.pngs_written = outputs.png ? outputs.png->written() : 0;
#ifdef LW_HAVE_VIDEO
  if (sound && o.out) renderer::write_audio_file(*o.out / "audio.wav", *sound);  // the frames' sound beside them
#endif
  figures.wall_seconds = std::chrono::duration<double>(Clock::now() - start).count();
  if (bar) bar->finish();
  if (o.save_preset) stage.save_preset(*o.save_preset);
  if (o.save_automation) write_text_file(*o.save_automation, automation_json(*stage.stop_automation()));
  ViewResult result = view_report(stage, o, figures);
#ifdef LW_HAVE_VIDEO
  if (track) {
    const stage::TrackStatus& t = stage.status().track;
    result.track_seconds = track->analysis_seconds;
    result.report["track"] = {{"file", track->file.string()}, {"seconds", t.seconds}, {"bpm", t.bpm}, {"onsets", t.onsets},
                              {"analysis_seconds", track->analysis_seconds}, {"ignored_triggers", t.ignored},
                              {"audio_seconds", sound ? sound->seconds() : 0.0}, {"position", t.position},
                              {"audible", t.audible}};
  }
#endif
#ifdef LW_HAVE_WINDOW
  // Where the UI drew its windows and the tiles on the last frame: no window covers a tile.
  auto rect = [](const renderer::Rect& r) { return nlohmann::json{r.x, r.y, r.width, r.height}; };
  nlohmann::json windows = nlohmann::json::array(), tiles = nlohmann::json::array();
  for (const auto& r : settings.drawn_windows) windows.push_back(rect(r));
  for (const auto& r : stage.status().tiles) tiles.push_back(rect(r));
  const gui::DirectionsFit& fit = settings.directions_fit;
  result.report["ui"] = {{"scale", settings.ui_scale},
                         {"windows", windows},
                         {"tile_rects", tiles},
                         {"directions", {{"available", stage.status().session.directions.size()},
                                         {"listed", fit.listed},
                                         {"clipped_names", fit.clipped_names},
                                         {"stacked", fit.stacked},
                                         {"narrowest_slider", fit.narrowest_slider}}}};
#endif
  return result;
}

}  // namespace lw::app
