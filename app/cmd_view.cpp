// latentwalk view: the real-time viewer. A window (or, with --headless, an offscreen target)
// shows a preset's tiles, by default a linear and a density-preserving walk from the same start
// along one direction, with the panels on top; --frames, --out, --screenshot, --save-preset and
// --json make it scriptable.
#include <limits>
#include <iostream>

#include "app/commands.hpp"
#include "app/interrupt_guard.hpp"
#ifdef LW_HAVE_VIDEO
#include "app/music_track.hpp"
#endif
#include "app/machine_settings.hpp"
#include "app/model_location.hpp"
#include "app/view_run.hpp"
#ifdef LW_HAVE_VIDEO
#include "renderer/video_encoder.hpp"
#endif
#include "core/base/check.hpp"

namespace lw::app {


int cmd_view(const std::vector<std::string>& argv) {
  Args a("view",
         "Real-time viewer: the generator runs on its own thread and every frame draws its newest\n"
         "batch through Vulkan: a preset's tiles, by default a linear walk beside a density-preserving\n"
         "one from the same start along one direction. Panels edit the walks, directions (alpha and\n"
         "holds), model and space, and save or load presets (space: play/pause, Tab: hide the UI,\n"
         "arrows: step, F: fullscreen, S: screenshot, click: select a tile).\n"
         "Headless, frames render offscreen (lavapipe works) and frame k shows walk time k / fps.");
  a.flag("model", "DIR", "model folder or .pt file", default_model_folder().string())
      .flag("direction", "NPY", "walk along this [1, d] direction (default: the model's age direction)")
      .flag("preset", "P.json", "play this walk preset (its model, tiles and walks; see README)")
      .flag("set", "PATH=VALUE", "set a live parameter before the first frame, e.g. /tile/1/stride=2 or "
                                 "/clock/speed=0.5 (the paths are listed in README)")
      .repeatable()
      .flag("time", "T", "start at clock time T seconds", "0")
      .flag("headless", "", "render offscreen, without a window")
      .flag("frames", "N", "exit after N frames (0: until the window closes)", "0")
      .flag("out", "DIR", "headless: write every frame as DIR/frame_0000.png ...")
      .flag("screenshot", "PNG", "save the last frame as presented, UI included (needs --frames)")
      .flag("json", "", "print timings and the hand-off path as JSON at the end")
      .flag("stats-every", "S", "headless: every S seconds print one JSON line: frames, frame time p50/p99 over the "
                                "last 1,024 frames, resident memory, OSC counts (Ctrl-C ends the run after the frame in flight)")
      .flag("capture", "FILE.mp4", "a window: capture the frames as presented, in real time, from the first on")
      .flag("recordings", "DIR", "where the panel's record and live capture controls write", ".")
      .flag("size", "WxH", "window or frame size in pixels (default: 1280x720 in a window, 512x288 headless, "
                           "where the CPU renderer lavapipe would otherwise outweigh a small generator)")
      .flag("ui", "", "headless: draw the panels too (a window shows them; Tab hides them)")
      .flag("no-ui", "", "a window: start with the panels hidden (Tab shows them)")
      .flag("difference", "", "one more tile: |tile 1 - tile 2| per pixel, black where the two walks agree")
      .flag("ui-scale", "S", "fonts and widgets 0.5..4 (Ctrl +/- in the window; default: the monitor's content scale)")
      .flag("panel", "NAME", "the panel in front at start: walk, directions, model, presets, controls or performance", "walk")
      .flag("paused", "", "a window: start paused at --time (space plays)")
      .flag("device", "auto|cpu|cuda", "where the generator runs: auto puts it on the GPU when the CUDA hand-off "
                                        "runs and LibTorch has CUDA, so frames never leave GPU memory", "auto")
      .flag("sink", "auto|host|cuda", "the hand-off: CUDA shared memory when a CUDA device is the Vulkan GPU (auto), "
                                      "host staging always, or CUDA or an error saying why not", "auto")
      .flag("save-automation", "PERF.json", "record the session as a timeline (every frame's clock and parameter moves), written at exit: record --automation re-renders it")
      .flag("save-preset", "P.json", "at exit, save the walks as they are set then (what the Presets panel saves)")
      .flag("seed", "S", "seed of the walk's start code", "0")
      .flag("osc-port", "PORT", "listen for OSC on this UDP port (0: any free one; the address space: latentwalk osc-map)")
      .flag("osc-bind", "ADDRESS", "where OSC listens: 127.0.0.1 takes this machine only, 0.0.0.0 the network", "127.0.0.1")
      .flag("audio-in", "DEVICE", "analyse live audio from this input (\"default\", or part of a device's name) for the bindings")
      .flag("audio", "TRACK", "play this track (WAV, FLAC, MP3 ...): it drives the preset's audio bindings and the clock "
                              "follows it, from --time on; headless, frame k is the frame record --audio renders")
      .flag("audio-file", "FILE", "play this audio file into the same analysis in real time, looping (rehearsal without a microphone)")
      .flag("link", "", "join the Ableton Link session on the local network: tempo and bars shared with Live and other apps")
      .flag("midi", "", "MIDI in: controllers and DAWs connect to the ALSA sequencer port \"latentwalk\" (right-click a slider to learn)")
      .flag("midi-from", "TEXT", "with --midi, also connect from every MIDI port whose name contains TEXT")
      .flag("osc-send", "HOST:PORT", "send every parameter change there as OSC (a controller's layout follows the screen)")
      .flag("threads", "N", "generator threads (0: all cores but one, which the render loop keeps)", "0")
      .flag("fps", "F", "headless: walk seconds advance 1/F per frame", "30");
  if (!a.parse(argv)) return 0;
  ViewOptions o;
  o.model = a.str("model");
  if (a.has("direction")) o.direction = a.str("direction");
  if (a.has("preset")) {
    LW_EXPECT(!a.given("model") && !a.has("direction"), "--preset names its own model and directions; drop --model and --direction");
    o.preset = a.str("preset");
  }
  o.assignments = a.all("set");
  o.start_time = a.real("time");
  if (a.has("capture")) {
    o.capture = a.str("capture");
#ifdef LW_HAVE_VIDEO
    renderer::video_container_for(*o.capture);  // .mp4, .mov or .mkv, checked before the window opens
#endif
  }
  o.recordings = a.str("recordings");
  o.headless = a.on("headless");
  o.frames = a.integer("frames");
  if (a.has("out")) o.out = a.str("out");
  if (a.has("screenshot")) o.screenshot = a.str("screenshot");
  LW_EXPECT(!o.screenshot || o.frames > 0, "--screenshot saves the last of --frames N frames; give --frames");
  const bool json = a.on("json");
  if (a.has("size")) parse_size(a.str("size"), o.width, o.height);
  else if (o.headless) o.width = 512, o.height = 288;
  LW_EXPECT(!(a.on("ui") && a.on("no-ui")), "--ui and --no-ui contradict each other");
  o.show_ui = o.headless ? a.on("ui") : !a.on("no-ui");
  o.paused = a.on("paused");
  o.difference = a.on("difference");
  if (a.has("ui-scale")) {
    o.ui_scale = static_cast<float>(a.real_in("ui-scale", 0.5, 4.0));
  }
  o.panel = a.choice("panel", {"walk", "directions", "model", "presets", "controls", "performance"});
  o.sink = parse_sink_preference(a.choice("sink", {"auto", "host", "cuda"}));
  o.generator_device = a.choice("device", {"auto", "cpu", "cuda"});
  if (a.has("save-preset")) o.save_preset = a.str("save-preset");
  if (a.has("save-automation")) o.save_automation = a.str("save-automation");
  o.seed = static_cast<int>(a.integer_in("seed", 0, std::numeric_limits<int>::max()));
  o.threads = static_cast<int>(a.integer_in("threads", 0, 256));
  o.fps = a.real("fps");
  // Ports and devices: the flags, else the machine's settings file.
  const MachineSettings machine = read_machine_settings();
  o.osc_port = a.given("osc-port") ? std::optional<int>(static_cast<int>(a.integer_in("osc-port", 0, 65535))) : machine.osc_port;
  o.osc_bind = a.given("osc-bind") ? a.str("osc-bind") : machine.osc_bind.value_or(a.str("osc-bind"));
  o.osc_send = a.given("osc-send") ? std::optional<std::string>(a.str("osc-send")) : machine.osc_send;
  o.audio_in = a.given("audio-in")                             ? std::optional<std::string>(a.str("audio-in"))
               : (a.given("audio-file") || a.given("audio")) ? std::nullopt
                                                             : machine.audio_in;
  if (a.given("audio-file")) o.audio_file = a.str("audio-file");
  o.midi = a.on("midi") || machine.midi.value_or(false);
  o.link = a.on("link") || machine.link.value_or(false);
  o.midi_from = a.given("midi-from") ? a.str("midi-from") : machine.midi_from.value_or("");
  if (machine.file) std::cerr << "latentwalk view: machine settings from " << machine.file->string() << "\n";
  LW_EXPECT(o.midi || o.midi_from.empty(), "--midi-from needs --midi");
  LW_EXPECT(!(o.audio_in && o.audio_file), "give --audio-in or --audio-file, not both");
#ifdef LW_HAVE_VIDEO
  if (a.has("audio")) {
    // One sound drives the walks: the track's clock and features, nothing mixed in.
    LW_EXPECT(!a.given("audio-in") && !a.given("audio-file"), "--audio plays a track the walks follow; drop --audio-in and --audio-file");
    LW_EXPECT(!o.link, "--audio: the clock follows the track, so it cannot follow Ableton Link too; drop --link");
    LW_EXPECT(!(o.headless && o.save_automation), "a headless run with --audio is a render of the track: record --audio makes its video");
    LW_EXPECT(o.start_time >= 0.0, "--time is a second of the --audio track, 0 or more, got " << number_text(o.start_time));
    o.track = std::make_shared<const MusicTrack>(load_music_track(a.str("audio"), o.headless));
    std::cerr << "latentwalk view: " << describe_track(*o.track) << std::endl;
    LW_EXPECT(o.start_time < o.track->analysis->seconds, "--time " << number_text(o.start_time) << " lies past the end of "
                                                                   << a.str("audio") << " (" << number_text(o.track->analysis->seconds) << " s)");
  }
#else
  LW_EXPECT(!a.has("audio"), "this latentwalk was built without the FFmpeg libraries, so it cannot read a track");
#endif
  if (a.has("stats-every")) o.stats_every = a.real_in("stats-every", 0.1, 3600.0);
  LW_EXPECT(o.stats_every == 0.0 || o.headless, "--stats-every prints the figures of a headless run; add --headless");
  // Ctrl-C (or SIGTERM) ends the run after the frame in flight, with its report: in a window as
  // closing it does, so a live capture, the automation and the preset are still written whole.
  InterruptGuard guard;
  o.stop = guard.flag();
  const auto result = run_view(o);
  std::cout << (json ? result.report.dump() + "\n" : result.summary);
  // Validation messages (when validation is on) fail the run: tests rely on it.
  const auto v = result.report.find("validation");
  return v != result.report.end() && ((*v)["errors"].get<int>() + (*v)["warnings"].get<int>()) > 0 ? 3 : 0;
}

}  // namespace lw::app
