#include "app/view_loop.hpp"

#include <torch/cuda.h>
#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <ctime>
#include <cstdlib>
#include <cstdio>
#include <future>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "app/frame_writer.hpp"
#ifdef LW_HAVE_VIDEO
#include "app/background_record.hpp"
#include "app/live_capture.hpp"
#endif
#include "app/generator_worker.hpp"
#include "app/render_codes.hpp"
#include "app/view_session.hpp"
#include "core/base/check.hpp"
#include "core/image.hpp"
#include "core/atomic_file.hpp"
#include "core/preset.hpp"
#include "core/progress.hpp"
#include "gui/frame_time_history.hpp"
#include "gui/imgui_layer.hpp"
#include "gui/view_panel.hpp"
#include "interop/sink_choice.hpp"
#include "plugin/torchscript_model.hpp"
#include "renderer/context.hpp"
#include "renderer/frame_renderer.hpp"
#include "renderer/offscreen_target.hpp"
#include "renderer/swapchain_target.hpp"
#include "renderer/window.hpp"
#ifdef LW_HAVE_VIDEO
#include "renderer/video_encoder.hpp"
#endif

namespace lw::app {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kFramesInFlight = 2;
constexpr std::size_t kTimedBatches = 256;  // batches kept to time the generator alone afterwards
constexpr int kPathSamples = 48;            // points per compare plot

float ms_since(Clock::time_point start) {
  return std::chrono::duration<float, std::milli>(Clock::now() - start).count();
}

// "20261122-231500": names for recordings that sort by time.
std::string timestamp() {
  const std::time_t now = std::time(nullptr);
  std::tm local{};
  localtime_r(&now, &local);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y%m%d-%H%M%S", &local);
  return buf;
}

nlohmann::json percentiles(const gui::FrameTimeHistory& h, gui::Stage s) {
  return {{"p50", h.percentile(s, 0.5f)}, {"p99", h.percentile(s, 0.99f)}};
}

}  // namespace

ViewResult run_view(const ViewOptions& o) {
  LW_EXPECT(o.frames >= 0, "--frames must be 0 (until the window closes) or more");
  LW_EXPECT(o.headless || !o.out, "--out writes the frames of a headless run; add --headless");
  LW_EXPECT(!o.headless || o.frames > 0, "a headless run needs --frames N");
  LW_EXPECT(o.fps > 0.0, "--fps must be positive");
  LW_EXPECT(o.headless || !o.video, "videos are recorded headless");
  LW_EXPECT(!o.headless || !o.capture, "--capture records a window's frames as they are presented; headless, use record");
  std::optional<Preset> preset;
  if (o.preset) preset = read_preset_resolved(*o.preset);  // a broken preset fails before anything opens
  if (o.out) fs::create_directories(*o.out);

  // Declaration order is destruction order reversed: the window outlives the context (its
  // surface), the context outlives everything made on it.
  std::unique_ptr<renderer::Window> window;
  renderer::ContextOptions copts;
  if (!o.headless) {
    window = std::make_unique<renderer::Window>("latentwalk", o.width, o.height);
    copts.instance_extensions = window->required_instance_extensions();
    copts.make_surface = [&](VkInstance instance) { return window->create_surface(instance); };
  }
  copts.preferred_uuid = interop::cuda_device_uuid();  // the GPU CUDA can share memory with
  // On lavapipe, rasterising threads would take CPU cores from the generator: let the queue's
  // own thread rasterise (llvmpipe reads this when the driver loads; a user's setting wins).
  setenv("LP_NUM_THREADS", "0", 0);
  renderer::Context context(copts);  // no display or no Vulkan device: fails here, before the slow parts

  // The hand-off: CUDA's shared memory when a CUDA device is this GPU, else host staging.
  interop::SinkChoice chosen = interop::choose_sink(renderer::sink_request(context, kFramesInFlight, o.sink));
  interop::FrameSink& sink = *chosen.sink;
  const std::string sink_reason = chosen.reason;
  // The generator runs where the hand-off reads: on the GPU when the CUDA path is chosen and this
  // LibTorch has CUDA (the sink then reads its output in place), on the host otherwise.
  const bool cuda_torch = torch::cuda::is_available();
  LW_EXPECT(o.generator_device != "cuda" || cuda_torch,
            "--device cuda: this LibTorch has no CUDA (Debian's is built for the CPU only)");
  const bool gpu_generator = o.generator_device == "cuda" || (o.generator_device == "auto" && cuda_torch && chosen.cuda_device >= 0);
  // The CUDA device the sink shares memory with, so the kernel reads the generator's own memory.
  const int generator_cuda_device = gpu_generator ? std::max(chosen.cuda_device, 0) : -1;

  // The model, its scene and the panels' requests; the Model panel may replace the model while
  // the loop runs.
  gui::ViewSettings settings;
  settings.show_ui = o.show_ui;
  settings.playing = !o.paused;
  settings.preset_path = (o.recordings / "latentwalk-preset.json").string();
  settings.open_panel = o.panel;
  ViewSession session(o, settings, generator_cuda_device, preset);
  const int threads = o.threads > 0 ? o.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1);
  torch::set_num_threads(threads);
  if (window) window->set_title("latentwalk - " + session.model().manifest.name);
  int tiles = session.scene().tiles();
  int height = session.model().generator->height(), width = session.model().generator->width();

  std::unique_ptr<renderer::RenderTarget> target;
  if (o.headless)
    target = std::make_unique<renderer::OffscreenTarget>(context.vulkan_device(), static_cast<std::uint32_t>(o.width),
                                                         static_cast<std::uint32_t>(o.height), kFramesInFlight);
  else
    target = std::make_unique<renderer::SwapchainTarget>(context, *window);
  // Up to 512 MB of frames may wait for the encoder before the loop has to wait for it.
  FrameWriter writer(FrameWriter::depth_for(512, o.width, o.height));
  renderer::FrameRenderer frames(context, *target, sink, kFramesInFlight);
  frames.configure_sink(tiles, height, width);
  gui::ImGuiLayer ui(context, frames.render_pass(), kFramesInFlight, window.get());
  // Whatever ends the loop, even an error, frames finish before the UI's and the sink's
  // Vulkan objects go, and no readback reaches a handler whose captures are gone.
  struct FinishFrames {
    renderer::FrameRenderer& frames;
    ~FinishFrames() {
      frames.on_readback(nullptr);
      try {
        frames.finish();
      } catch (...) {
      }
    }
  } finish_frames{frames};
  gui::ViewPanel panel;
  gui::FrameTimeHistory history(1024);

  // The video: encoded on its own thread into a temporary file beside the output, renamed over
  // it only once complete; any error or an interruption removes it.
#ifdef LW_HAVE_VIDEO
  std::unique_ptr<AtomicFile> video_file;
  std::unique_ptr<renderer::VideoEncoder> encoder;
  std::unique_ptr<FrameWriter> video_writer;
  if (o.video) {
    video_file = std::make_unique<AtomicFile>(*o.video);
    encoder = std::make_unique<renderer::VideoEncoder>(
        video_file->temp_path(), renderer::VideoSettings{o.width, o.height, static_cast<int>(std::lround(o.fps)), o.crf,
                                                         o.video_speed});
    video_writer = std::make_unique<FrameWriter>(
        FrameWriter::depth_for(256, o.width, o.height),
        [&enc = *encoder](const FrameWriter::Frame& f) { enc.add(f.pixels.data(), f.bgr); }, false);
  }
#else
  LW_EXPECT(!o.video, "this latentwalk was built without the FFmpeg libraries, so it cannot record video");
#endif

  auto tile_rects = [&](VkExtent2D extent) {
    return renderer::layout_tiles(tiles, static_cast<float>(extent.width), static_cast<float>(extent.height),
                                  static_cast<float>(width), static_cast<float>(height), 8.f);
  };
  // One frame with every pipeline in use before anything is timed: drivers that compile shaders
  // on first use (lavapipe's JIT does) would otherwise stall the first timed frames.
  {
    const std::vector<float> blank(static_cast<std::size_t>(tiles) * 3 * height * width, 0.f);
    const auto extent = frames.extent();
    const auto rects = tile_rects(extent);
    while (!frames.begin_frame()) {
      if (window) window->wait_events();
    }
    sink.write(interop::ImageView{blank.data(), tiles, height, width, -1.f, 1.f}, frames.slot());
    ui.new_frame(extent, 0.f);
    gui::draw_tile_labels(rects, session.scene().labels());
    renderer::FrameContent content;
    content.tiles = rects;
    content.overlay = [&](VkCommandBuffer cmd) { ui.record(cmd); };
    frames.end_frame(content);
    frames.finish();
    frames.configure_sink(tiles, height, width);  // the blank batch is not shown again
  }
  const std::uint64_t warmup = frames.frames_submitted();

  gui::ViewStatus status;
  session.describe(status);
  status.generator_device = gpu_generator ? "cuda" : "cpu";
  status.sink = std::string(sink.name());
  status.sink_reason = sink_reason;
  status.device = context.device_info().name;
  status.history = &history;

  // The window's live capture and Record control (the panel turns them on).
#ifdef LW_HAVE_VIDEO
  std::unique_ptr<LiveCapture> capture;
  std::unique_ptr<BackgroundRecord> background;
  settings.capture = o.capture.has_value();
  bool capture_named = o.capture.has_value();
  auto update_capture = [&](VkExtent2D extent) {
    if (settings.capture && !capture) {
      const fs::path path = capture_named ? *o.capture : o.recordings / ("latentwalk-capture-" + timestamp() + ".mp4");
      capture_named = false;
      try {
        capture = std::make_unique<LiveCapture>(path, static_cast<int>(extent.width), static_cast<int>(extent.height));
        status.capture_status = "capturing to " + path.string();
      } catch (const std::exception& e) {
        settings.capture = false;
        status.capture_status = std::string("capture failed: ") + e.what();
      }
    } else if (!settings.capture && capture) {
      frames.finish();  // the frames in flight reach the capture first
      try {
        capture->stop();
        status.capture_status = "captured " + std::to_string(capture->frames()) + " frames to " + capture->path().string();
      } catch (const std::exception& e) {
        status.capture_status = std::string("capture failed: ") + e.what();
      }
      capture.reset();
    }
  };
  auto update_record = [&](VkExtent2D extent) {
    if (settings.record_requested && !(background && background->running())) {
      ViewOptions r;
      const std::string stem = "latentwalk-" + timestamp();
      r.preset = o.recordings / (stem + ".json");
      r.video = o.recordings / (stem + ".mp4");
      try {
        session.save(*r.preset);
        r.fps = session.applied().fps;
        r.frames = std::max<std::int64_t>(1, std::llround(session.applied().duration * session.applied().fps));
        r.width = static_cast<int>(extent.width) & ~1;
        r.height = static_cast<int>(extent.height) & ~1;
        r.threads = threads;
        r.progress = false;
        background = std::make_unique<BackgroundRecord>(r);
      } catch (const std::exception& e) {
        status.record_status = std::string("recording failed: ") + e.what();
      }
    }
    settings.record_requested = false;
    if (background) {
      status.record_status = background->status();
      status.recording = background->running();
    }
  };
#else
  LW_EXPECT(!o.capture, "this latentwalk was built without the FFmpeg libraries, so it cannot capture video");
  const void* capture = nullptr;  // no capture without an encoder
  auto unavailable = [&](VkExtent2D) {
    if (settings.capture || settings.record_requested) status.record_status = "recording needs the FFmpeg build";
    settings.capture = settings.record_requested = false;
  };
  auto& update_capture = unavailable;
  auto& update_record = unavailable;
#endif

  const std::uint64_t last_frame = o.frames > 0 ? static_cast<std::uint64_t>(o.frames - 1) : UINT64_MAX;
  std::uint64_t key_shot_frame = UINT64_MAX;  // the frame the S key asked to save
  frames.on_readback([&](std::uint64_t submitted, const renderer::ReadbackImage& image) {
    const std::uint64_t frame = submitted - warmup;
    if (o.out) {
      char name[32];
      std::snprintf(name, sizeof name, "frame_%04llu.png", static_cast<unsigned long long>(frame));
      auto pixels = writer.take_buffer();
      pixels.assign(image.pixels, image.pixels + static_cast<std::size_t>(image.width) * image.height * 4);
      writer.queue({*o.out / name, -1, static_cast<int>(image.width), static_cast<int>(image.height), image.bgr,
                    std::move(pixels)});
    }
#ifdef LW_HAVE_VIDEO
    if (video_writer) {
      auto pixels = video_writer->take_buffer();
      pixels.assign(image.pixels, image.pixels + static_cast<std::size_t>(image.width) * image.height * 4);
      video_writer->queue({{}, -1, static_cast<int>(image.width), static_cast<int>(image.height), image.bgr,
                           std::move(pixels)});
    }
    if (capture) capture->add(image.pixels, static_cast<int>(image.width), static_cast<int>(image.height), image.bgr);
#endif
    if (frame == key_shot_frame) {
      const fs::path shot = o.recordings / ("latentwalk-shot-" + timestamp() + ".png");
      try {
        write_png_rgbx(shot, static_cast<int>(image.width), static_cast<int>(image.height), image.pixels, image.bgr);
        status.capture_status = "screenshot: " + shot.string();
      } catch (const std::exception& e) {
        status.capture_status = std::string("screenshot failed: ") + e.what();
      }
    }
    if (o.screenshot && frame == last_frame)
      write_png_rgbx(*o.screenshot, static_cast<int>(image.width), static_cast<int>(image.height), image.pixels,
                     image.bgr);
  });

  std::vector<LatentRequest> timed;  // the first batches, timed through the generator alone at the end
  LatentRequest request;
  std::uint64_t next_id = 1;
  double t = o.start_time;
  std::unique_ptr<GeneratorWorker> worker;
  auto start_worker = [&] {
    worker = std::make_unique<GeneratorWorker>(*session.model().generator, session.w_avg(), threads,
                                               o.headless ? GeneratorWorker::Mode::EveryBatch : GeneratorWorker::Mode::NewestWins,
                                               sink.name() == "cuda-shared");
  };
  auto post = [&] {
    const ViewScene& scene = session.scene();
    request.id = next_id++;
    request.t = t;
    request.batch = scene.tiles();
    request.rows = scene.rows();
    request.dim = scene.dims();
    request.spec = scene.spec();
    scene.codes(t, request.z);
    if (timed.size() < kTimedBatches) timed.push_back(request);
    worker->request(request);
  };

  std::vector<renderer::Rect> rects;
  std::uint64_t shown_id = 0, batches = 0, frame = 0, plotted_version = 0;
  std::future<std::vector<gui::PathPlot>> plots;
  auto wait_plots = [&] {
    if (plots.valid()) plots.wait();
    plots = {};
  };

  // The panels' requests and edits: the Vulkan side follows what they changed.
  auto follow_session = [&] {
    switch (session.update(settings, status)) {
      case ViewSession::Change::None:
      case ViewSession::Change::Walks: break;
      case ViewSession::Change::Tiles:
        tiles = session.scene().tiles();
        frames.configure_sink(tiles, height, width);
        break;
      case ViewSession::Change::Model:
        // The old model goes once nothing runs it: the plots, the generator, frames in flight.
        wait_plots();
        worker.reset();
        frames.finish();
        session.release_retired();
        timed.clear();
        tiles = session.scene().tiles();
        height = session.model().generator->height();
        width = session.model().generator->width();
        frames.configure_sink(tiles, height, width);
        if (window) window->set_title("latentwalk - " + session.model().manifest.name);
        start_worker();
        break;
    }
  };

  Clock::time_point first_batch{}, last_batch{}, last_frame_start{};
  const auto loop_start = Clock::now();
  std::optional<ProgressBar> bar;
  if (o.progress && o.frames > 0) bar.emplace(o.video ? "record" : "render", o.frames, "frame");
  {
    start_worker();
    post();
    // Headless, the generator works a batch ahead: frame k+1's codes wait while frame k's run.
    if (o.headless && last_frame > 0) {
      t = o.start_time + 1.0 / o.fps;
      post();
    }
    for (; frame <= last_frame; ++frame) {
      LW_EXPECT(!(o.interrupted && o.interrupted->load()), "interrupted; nothing was written at the output");
      if (window) {
        window->poll_events();
        if (window->should_close()) break;
        const auto fb = window->framebuffer_size();
        if (fb.width == 0 || fb.height == 0) {
          window->wait_events();  // minimised: nothing to draw until it comes back
          last_frame_start = Clock::now();  // the time away is not a frame, nor walk time
          --frame;
          continue;
        }
      }
      const auto frame_start = Clock::now();
      if (frame > 0) history.record(gui::Stage::Frame, std::chrono::duration<float, std::milli>(frame_start - last_frame_start).count());
      const float dt = frame > 0 ? std::chrono::duration<float>(frame_start - last_frame_start).count() : 0.f;
      last_frame_start = frame_start;

      // Headless frames are paced by new content (frame k shows the batch for t = k / fps);
      // a window shows whatever batch is newest at its display's pace.
      const ImageBatch* batch = nullptr;
      if (o.headless) {
        while (!batch) {
          batch = worker->wait_newest(shown_id, std::chrono::milliseconds(500));
          const auto err = worker->error();
          LW_EXPECT(err.empty(), err);
        }
        if (frame + 2 <= last_frame) {
          t = o.start_time + static_cast<double>(frame + 2) / o.fps;
          post();
        }
        t = batch->t;
      } else {
        if (settings.playing) t += dt;
        else t += settings.step_frames / o.fps;  // arrow keys: a frame at a time while paused
        settings.step_frames = 0;
        if (settings.restart_clock) t = 0.0;
        settings.restart_clock = false;
        if (settings.fullscreen != window->fullscreen()) window->set_fullscreen(settings.fullscreen);
        follow_session();
        post();
        const auto err = worker->error();
        LW_EXPECT(err.empty(), err);
      }

      if (!frames.begin_frame()) {
        --frame;  // the swapchain was remade: this frame did not happen
        continue;
      }
      if (!o.headless) {
        if (o.screenshot && frame == last_frame) {
          // The saved frame shows exactly the codes of this frame's time, as a headless one does.
          while (!batch || batch->id < request.id) {
            const ImageBatch* b = worker->wait_newest(shown_id, std::chrono::milliseconds(500));
            const auto err = worker->error();
            LW_EXPECT(err.empty(), err);
            if (b) batch = b, shown_id = b->id;
          }
        } else {
          batch = worker->take_newest(shown_id);  // only now: a skipped frame drops nothing
        }
      }
      if (batch && batch->batch == tiles && batch->height == height && batch->width == width) {
        const auto handoff_start = Clock::now();
        interop::ImageView view;
        view.data = batch->pixels;
        view.batch = batch->batch;
        view.height = batch->height;
        view.width = batch->width;
        view.on_device = batch->on_device;
        sink.write(view, frames.slot());
        history.record(gui::Stage::Handoff, ms_since(handoff_start));
        history.record(gui::Stage::Generate, batch->generate_ms);
        ++batches;
        last_batch = Clock::now();
        if (batches == 1) first_batch = last_batch;
      }
      if (batch) shown_id = batch->id;  // a batch of the walks before an edit is passed over

      const auto extent = frames.extent();
      rects = tile_rects(extent);
      status.tiles = rects;
      const auto ui_start = Clock::now();
      ui.new_frame(extent, dt);
      gui::apply_view_input(rects, settings);
      gui::draw_tile_labels(rects, session.scene().labels());
      status.time = t;
      status.eps = session.scene().eps(t);
      if (settings.show_ui) {
        // The compare plots follow the walks: recomputed in the background when they change.
        // A --screenshot waits for them two frames before its own (a new window is measured on
        // its first frame and shown on the next), so it shows them whatever the machine's speed.
        if (!plots.valid() && plotted_version != session.version()) {
          plotted_version = session.version();
          plots = std::async(std::launch::async, [copy = session.scene()] { return copy.path_metrics(kPathSamples); });
        }
        if (plots.valid() && o.screenshot && frame + 2 >= last_frame) plots.wait();
        if (plots.valid() && plots.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
          try {
            status.paths = plots.get();
          } catch (const std::exception& e) {
            status.paths.clear();
            status.message = std::string("compare plots failed: ") + e.what();
          }
        }
        status.path_phase = session.scene().plot_phase(t);
      }
      status.frames = frame;
      status.batches = batches;
      if (settings.show_ui) panel.draw(status, settings);
      history.record(gui::Stage::Ui, ms_since(ui_start));
      if (window) {
        update_capture(extent);
        update_record(extent);
      }

      const auto draw_start = Clock::now();
      renderer::FrameContent content;
      content.tiles = rects;
      content.overlay = [&](VkCommandBuffer cmd) { ui.record(cmd); };
      if (settings.screenshot_requested) key_shot_frame = frame;
      settings.screenshot_requested = false;
      content.readback = o.out.has_value() || o.video.has_value() || capture != nullptr || key_shot_frame == frame ||
                         (o.screenshot && frame == last_frame);
      frames.end_frame(content);
      history.record(gui::Stage::Draw, ms_since(draw_start));
      if (bar) bar->update(static_cast<std::int64_t>(frame + 1));
      if (o.frames_done) o.frames_done->store(static_cast<std::int64_t>(frame + 1));
    }
    frames.finish();
    settings.capture = false;
    update_capture(frames.extent());
    wait_plots();
    worker.reset();
  }
  const double loop_seconds = std::chrono::duration<double>(Clock::now() - loop_start).count();
  writer.drain();
  double encoder_wait = 0.0;
#ifdef LW_HAVE_VIDEO
  if (video_writer) {
    video_writer->drain();
    encoder_wait = video_writer->blocked_seconds();
    video_writer.reset();
    LW_EXPECT(encoder->frames() == static_cast<std::int64_t>(frame),
              "the video holds " << encoder->frames() << " frames of " << frame << " rendered; not written");
    encoder->finish();
    video_file->commit();
  }
#endif
  const double wall_seconds = std::chrono::duration<double>(Clock::now() - loop_start).count();
  if (bar) bar->finish();
  if (o.save_preset) session.save(*o.save_preset);

  // The same batches through the generator alone, with the same threads: what the pipeline's
  // throughput is measured against.
  double generator_only_fps = 0.0;
  if (!timed.empty()) {
    auto run = [&](LatentRequest& r) {
      const auto c = r.rows > 1 ? torch::from_blob(r.z.data(), {r.batch, r.rows, r.dim}) : torch::from_blob(r.z.data(), {r.batch, r.dim});
      return render_codes(*session.model().generator, c, r.spec, session.w_avg());
    };
    (void)run(timed.front());  // warm-up
    const auto start = Clock::now();
    for (auto& r : timed) (void)run(r);
    if (gpu_generator) torch::cuda::synchronize();  // the GPU's work done, not just queued
    generator_only_fps = static_cast<double>(timed.size()) / std::chrono::duration<double>(Clock::now() - start).count();
  }
  const double span_s = std::chrono::duration<double>(last_batch - first_batch).count();
  const double pipeline_fps = batches > 1 && span_s > 0 ? static_cast<double>(batches - 1) / span_s : 0.0;

  ViewResult result;
  auto& j = result.report;
  j["frames"] = frame;
  j["sink"] = std::string(sink.name());
  j["sink_reason"] = sink_reason;
  j["device"] = context.device_info().name;
  j["ms"] = {{"generate", percentiles(history, gui::Stage::Generate)},
             {"handoff", percentiles(history, gui::Stage::Handoff)},
             {"draw", percentiles(history, gui::Stage::Draw)},
             {"ui", percentiles(history, gui::Stage::Ui)},
             {"frame", percentiles(history, gui::Stage::Frame)}};
  j["generator_only_fps"] = generator_only_fps;
  j["pipeline_fps"] = pipeline_fps;
  j["batches"] = batches;
  j["host_copies_per_frame"] = sink.host_copies_last_write();
  j["generator_device"] = gpu_generator ? "cuda" : "cpu";
  j["tiles"] = session.scene().labels();
  j["plotted_paths"] = status.paths.size();  // compare plots on the last frame
  j["space"] = session.applied().space;
  if (context.validation_enabled())
    j["validation"] = {{"errors", context.validation_errors()}, {"warnings", context.validation_warnings()}};
  std::ostringstream summary;
  summary << "latentwalk view: " << frame << " frames on " << context.device_info().name << " (" << sink.name()
          << "), walking along " << session.described() << "\n"
          << "  pipeline " << pipeline_fps << " batches/s, generator alone " << generator_only_fps << " batches/s\n";
  if (o.out) summary << "  " << writer.written() << " frames written to " << o.out->string() << "\n";
  if (o.screenshot) summary << "  screenshot: " << o.screenshot->string() << "\n";
  if (o.save_preset) summary << "  preset: " << o.save_preset->string() << "\n";
  if (!status.capture_status.empty()) summary << "  " << status.capture_status << "\n";
  result.summary = summary.str();
  result.frames = frame;
  result.render_seconds = loop_seconds - encoder_wait;
  result.wall_seconds = wall_seconds;
  return result;
}

}  // namespace lw::app
