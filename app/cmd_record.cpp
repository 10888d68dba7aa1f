// latentwalk record: a preset rendered offline, frame exact, to H.264 in MP4 (and optionally
// PNG files): frame i is the preset's walk at t = i / fps, drawn by the viewer's own headless
// frame code (tiles and labels, no panels) while the encoder works on its own thread.
#include <filesystem>
#include <iostream>

#include "app/commands.hpp"
#include "app/interrupt_guard.hpp"
#include "app/view_run.hpp"
#include "app/music_track.hpp"
#include "renderer/video_encoder.hpp"
#include "core/base/check.hpp"
#include "core/preset.hpp"

namespace lw::app {
namespace fs = std::filesystem;


int cmd_record(const std::vector<std::string>& argv) {
  Args a("record",
         "Renders a walk preset to a video, offline and frame exact: frame i shows the walk at\n"
         "t = i / fps through the viewer's own headless frame code (tiles and labels as the preset\n"
         "lays them out, no panels). H.264 (libx264) in MP4, yuv420p, encoded on its own thread\n"
         "while frames render. The video is written beside the output and renamed when complete:\n"
         "an error or Ctrl-C leaves nothing at --out, and an existing file is only ever replaced by\n"
         "a complete one.\n"
         "With --audio TRACK it is a music video: the video lasts as long as the track (or the\n"
         "--start/--duration window), the preset's audio bindings follow the track's analysis frame\n"
         "by frame (level, bass, mid, high, onset, beat, from the samples of each frame's time\n"
         "window), walks counting beats turn on the track's beats, and the track's sound is muxed\n"
         "in as AAC (with --png-dir, written beside the frames as audio.wav).");
  a.flag("preset", "P.json", "the walk preset to render (the viewer saves these)")
      .flag("automation", "PERF.json", "re-render a live set saved with view --save-automation instead: its walks, clock and every parameter move, frame exact at this size and frame rate")
      .flag("audio", "TRACK", "a music video: this track (WAV, FLAC, MP3, AAC, Ogg ...) drives the preset's audio bindings and is muxed in")
      .flag("start", "S", "with --audio: the track's second of the first frame", "0")
      .flag("out", "VIDEO.mp4", "the video to write: H.264 in .mp4, .mov or .mkv, as its name says")
      .flag("set", "PATH=VALUE", "set a live parameter for the whole video, e.g. /tile/1/stride=2")
      .repeatable()
      .flag("fps", "F", "frames per second, whole or NTSC's 23.976, 29.97, 59.94 (default: the preset's)")
      .flag("duration", "S", "seconds to render (default: the preset's; with --audio, the track's from --start)")
      .flag("size", "WxH", "frame size, both even", "1280x720")
      .flag("crf", "N", "x264 quality: 0 lossless .. 51 worst; 18 looks lossless", "18")
      .flag("speed", "PRESET", "x264 speed preset (ultrafast .. veryslow)", "veryfast")
      .flag("png-dir", "DIR", "also write every frame as DIR/frame_0000.png ...")
      .flag("threads", "N", "generator threads (0: all cores but one)", "0")
      .flag("json", "", "print frames, fps, size and timings as JSON");
  if (!a.parse(argv)) return 0;
  LW_EXPECT(a.has("preset") != a.has("automation"), "give --preset or --automation (one of them)");
  LW_EXPECT(a.has("out"), "--out is required");
  ViewOptions o;
  if (a.has("preset")) o.preset = a.str("preset");
  if (a.has("automation")) o.replay = std::make_shared<const Automation>(read_automation(a.str("automation")));
  o.assignments = a.all("set");
  const Preset preset = o.replay ? o.replay->preset : read_preset(*o.preset);
  o.video = a.str("out");
  renderer::video_container_for(*o.video);  // .mp4, .mov or .mkv, checked before any work
  const fs::path out_dir = o.video->has_parent_path() ? o.video->parent_path() : fs::path(".");
  LW_EXPECT(fs::is_directory(out_dir), "output folder " << out_dir.string() << " does not exist");
  parse_size(a.str("size"), o.width, o.height);
  LW_EXPECT(o.width % 2 == 0 && o.height % 2 == 0,
            "--size must be even on both sides for yuv420p video, got " << o.width << "x" << o.height);
  const double fps = a.has("fps") ? a.real("fps") : preset.fps;
  const renderer::FrameRate rate = renderer::frame_rate_of(fps);  // 29.97: NTSC's 30000/1001, exactly
  LW_EXPECT(!(a.has("audio") && o.replay), "--automation replays a performance as it was; it takes no --audio");
  LW_EXPECT(a.has("audio") || !a.given("start"), "--start chooses where in the --audio track the video begins; give --audio");
  if (a.has("audio")) {
    o.start_time = a.real_in("start", 0.0, 24 * 3600);
    o.track = std::make_shared<const MusicTrack>(load_music_track(a.str("audio"), true));
    std::cerr << "latentwalk record: " << describe_track(*o.track) << std::endl;
    LW_EXPECT(o.start_time < o.track->analysis->seconds, "--start " << number_text(o.start_time) << " lies past the end of "
                                                                    << a.str("audio") << " (" << number_text(o.track->analysis->seconds) << " s)");
  }
  const double duration = a.has("duration") ? a.real("duration")
                          : o.replay        ? o.replay->duration()
                          : o.track         ? o.track->analysis->seconds - o.start_time
                                            : preset.duration;
  LW_EXPECT((duration > 0.0 || (o.replay && duration == 0.0)) && duration <= 24 * 3600, "--duration must be between 0 and 86400 seconds, got " << number_text(duration));
  o.fps = rate.value();
  // A replay covers its last recorded frame: frames at 0, 1/fps, ... up to the duration.
  o.frames = o.replay ? static_cast<std::int64_t>(std::floor(duration * o.fps + 1e-9)) + 1
                      : std::max<std::int64_t>(1, std::llround(duration * o.fps));
  o.crf = static_cast<int>(a.integer_in("crf", 0, 51));
  o.video_speed = a.str("speed");
  if (a.has("png-dir")) o.out = a.str("png-dir");
  o.threads = static_cast<int>(a.integer_in("threads", 0, 256));
  o.headless = true;
  o.show_ui = false;
  o.progress = true;
  InterruptGuard guard;
  o.interrupted = guard.flag();

  const auto r = run_view(o);
  const double render_fps = r.render_seconds > 0 ? static_cast<double>(r.frames) / r.render_seconds : 0.0;
  const double overall_fps = r.wall_seconds > 0 ? static_cast<double>(r.frames) / r.wall_seconds : 0.0;
  if (a.on("json")) {
    nlohmann::json j{{"frames", r.frames},      {"fps", fps},           {"width", o.width},
                           {"height", o.height},      {"seconds", duration},  {"render_fps", render_fps},
                           {"overall_fps", overall_fps}, {"render_seconds", r.render_seconds},
                           {"wall_seconds", r.wall_seconds}};
    if (o.track) j["track"] = r.report["track"];
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "latentwalk record: " << count_text(static_cast<long long>(r.frames), "frame", "frames") << " (" << duration << " s at " << fps << " fps, " << o.width
              << "x" << o.height << ") to " << o.video->string() << "; rendering " << render_fps << " frames/s, overall "
              << overall_fps << " frames/s\n";
  }
  return 0;
}

}  // namespace lw::app
