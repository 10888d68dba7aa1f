#include "app/view_loop.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <cstdio>
#include <iostream>
#include <nlohmann/json.hpp>
#include <thread>

#include "app/frame_writer.hpp"
#include "app/generator_worker.hpp"
#include "app/walk_direction.hpp"
#include "core/check.hpp"
#include "core/image.hpp"
#include "core/walk.hpp"
#include "gui/frame_time_history.hpp"
#include "gui/imgui_layer.hpp"
#include "gui/view_panel.hpp"
#include "interop/host_staging_sink.hpp"
#include "plugin/torchscript_model.hpp"
#include "renderer/context.hpp"
#include "renderer/frame_renderer.hpp"
#include "renderer/offscreen_target.hpp"
#include "renderer/swapchain_target.hpp"
#include "renderer/window.hpp"

namespace lw::app {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kFramesInFlight = 2;
constexpr int kTiles = 2;
const std::string kTileLabels[kTiles] = {"linear", "density-preserving"};
constexpr std::size_t kTimedBatches = 256;  // batches kept to time the generator alone afterwards

float ms_since(Clock::time_point start) {
  return std::chrono::duration<float, std::milli>(Clock::now() - start).count();
}

// The walk both tiles follow: the same start and direction, one linear and one
// density-preserving, driven by one clock.
struct TileWalks {
  Latent start, direction;
  int seed = -1;

  // The ping-pong stride at time t: it depends on the settings' stride and period only.
  static float eps(const gui::ViewSettings& s, double t) {
    WalkSettings w;
    w.stride = s.stride;
    w.period = s.period;
    return walk_eps(w, t);
  }

  void fill(LatentRequest& r, const gui::ViewSettings& s, double t) const {
    const float eps = TileWalks::eps(s, t);
    const Latent a = linear_step(start, direction, eps), b = density_preserving_step(start, direction, eps);
    r.t = t;
    r.batch = kTiles;
    r.dim = static_cast<int>(start.size());
    r.z.resize(static_cast<std::size_t>(kTiles) * r.dim);
    std::copy_n(a.data(), r.dim, r.z.data());
    std::copy_n(b.data(), r.dim, r.z.data() + r.dim);
  }
};

Latent start_code(int seed, int dim) {
  const auto z = torch::randn({dim}, at::detail::createCPUGenerator(static_cast<std::uint64_t>(seed)));
  return Eigen::Map<const Latent>(z.data_ptr<float>(), dim);
}

nlohmann::json percentiles(const gui::FrameTimeHistory& h, gui::Stage s) {
  return {{"p50", h.percentile(s, 0.5f)}, {"p99", h.percentile(s, 0.99f)}};
}

}  // namespace

int run_view(const ViewOptions& o) {
  LW_EXPECT(o.frames >= 0, "--frames must be 0 (until the window closes) or more");
  LW_EXPECT(o.headless || !o.out, "--out writes the frames of a headless run; add --headless");
  LW_EXPECT(!o.headless || o.frames > 0, "a headless run needs --frames N");
  LW_EXPECT(o.fps > 0.0, "--fps must be positive");
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
  // On lavapipe, rasterising threads would take CPU cores from the generator: let the queue's
  // own thread rasterise (llvmpipe reads this when the driver loads; a user's setting wins).
  setenv("LP_NUM_THREADS", "0", 0);
  renderer::Context context(copts);  // no display or no Vulkan device: fails here, before the slow parts

  auto model = plugin::load_model(o.model);
  const Generator& g = *model.generator;
  const int threads = o.threads > 0 ? o.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1);
  torch::set_num_threads(threads);
  if (window) window->set_title("latentwalk - " + model.manifest.name);
  const WalkDirection walk = o.direction ? load_direction(*o.direction, g.latent_dim())
                             : fs::exists(model.folder / "boundaries" / "z" / "age.npy")
                                 ? load_direction(model.folder / "boundaries" / "z" / "age.npy", g.latent_dim())
                                 : attribute_direction(model, "age", 500);

  std::unique_ptr<renderer::RenderTarget> target;
  if (o.headless)
    target = std::make_unique<renderer::OffscreenTarget>(context.vulkan_device(), static_cast<std::uint32_t>(o.width),
                                                         static_cast<std::uint32_t>(o.height), kFramesInFlight);
  else
    target = std::make_unique<renderer::SwapchainTarget>(context, *window);
  interop::HostStagingSink sink(context.vulkan_device(), kFramesInFlight);
  const std::string sink_reason =
      "no CUDA device shares this Vulkan device (" + context.device_info().name + "), so frames go through host memory";
  // Up to 512 MB of frames may wait for the encoder before the loop has to wait for it.
  FrameWriter writer(std::max<std::size_t>(4, (std::size_t{512} << 20) / (static_cast<std::size_t>(o.width) * o.height * 4)));
  renderer::FrameRenderer frames(context, *target, sink, kFramesInFlight);
  frames.configure_sink(kTiles, g.height(), g.width());
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
  gui::ViewSettings settings;
  settings.seed = o.seed;
  settings.show_ui = o.show_ui;
  gui::FrameTimeHistory history(1024);

  auto tile_rects = [&](VkExtent2D extent) {
    return renderer::layout_tiles(kTiles, static_cast<float>(extent.width), static_cast<float>(extent.height),
                                  static_cast<float>(g.width()), static_cast<float>(g.height()), 8.f);
  };
  // One frame with every pipeline in use before anything is timed: drivers that compile shaders
  // on first use (lavapipe's JIT does) would otherwise stall the first timed frames.
  {
    const std::vector<float> blank(static_cast<std::size_t>(kTiles) * 3 * g.height() * g.width(), 0.f);
    const auto extent = frames.extent();
    const auto rects = tile_rects(extent);
    while (!frames.begin_frame()) {
      if (window) window->wait_events();
    }
    sink.write(interop::ImageView{blank.data(), kTiles, g.height(), g.width(), -1.f, 1.f}, frames.slot());
    ui.new_frame(extent, 0.f);
    gui::draw_tile_labels(rects, kTileLabels);
    renderer::FrameContent content;
    content.tiles = rects;
    content.overlay = [&](VkCommandBuffer cmd) { ui.record(cmd); };
    frames.end_frame(content);
    frames.finish();
    frames.configure_sink(kTiles, g.height(), g.width());  // the blank batch is not shown again
  }
  const std::uint64_t warmup = frames.frames_submitted();

  const std::uint64_t last_frame = o.frames > 0 ? static_cast<std::uint64_t>(o.frames - 1) : UINT64_MAX;
  frames.on_readback([&](std::uint64_t submitted, const renderer::ReadbackImage& image) {
    const std::uint64_t frame = submitted - warmup;
    if (o.out) {
      char name[32];
      std::snprintf(name, sizeof name, "frame_%04llu.png", static_cast<unsigned long long>(frame));
      auto pixels = writer.take_buffer();
      pixels.assign(image.pixels, image.pixels + static_cast<std::size_t>(image.width) * image.height * 4);
      writer.queue(*o.out / name, static_cast<int>(image.width), static_cast<int>(image.height), image.bgr,
                   std::move(pixels));
    }
    if (o.screenshot && frame == last_frame)
      write_png_rgbx(*o.screenshot, static_cast<int>(image.width), static_cast<int>(image.height), image.pixels,
                     image.bgr);
  });

  TileWalks walks;
  walks.direction = walk.direction;
  std::vector<std::vector<float>> timed;  // latents of the first batches, timed alone at the end
  LatentRequest request;
  std::uint64_t next_id = 1;
  double t = 0.0;
  auto post = [&](GeneratorWorker& worker) {
    if (walks.seed != settings.seed) {
      walks.seed = settings.seed;
      walks.start = start_code(settings.seed, g.latent_dim());
    }
    request.id = next_id++;
    walks.fill(request, settings, t);
    if (timed.size() < kTimedBatches) timed.push_back(request.z);
    worker.request(request);
  };

  gui::ViewStatus status;
  status.model = model.manifest.name;
  status.latent_dim = g.latent_dim();
  status.w_dim = g.w_dim();
  status.height = g.height();
  status.width = g.width();
  status.sink = std::string(sink.name());
  status.sink_reason = sink_reason;
  status.device = context.device_info().name;
  status.history = &history;

  std::vector<renderer::Rect> rects;
  std::uint64_t shown_id = 0, batches = 0, frame = 0;
  Clock::time_point first_batch{}, last_batch{}, last_frame_start{};
  {
    GeneratorWorker worker(g, threads,
                           o.headless ? GeneratorWorker::Mode::EveryBatch : GeneratorWorker::Mode::NewestWins);
    post(worker);
    // Headless, the generator works a batch ahead: frame k+1's codes wait while frame k's run.
    if (o.headless && last_frame > 0) {
      t = 1.0 / o.fps;
      post(worker);
    }
    for (; frame <= last_frame; ++frame) {
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
          batch = worker.wait_newest(shown_id, std::chrono::milliseconds(500));
          const auto err = worker.error();
          LW_EXPECT(err.empty(), err);
        }
        if (frame + 2 <= last_frame) {
          t = static_cast<double>(frame + 2) / o.fps;
          post(worker);
        }
        t = batch->t;
      } else {
        if (settings.playing) t += dt;
        post(worker);
        const auto err = worker.error();
        LW_EXPECT(err.empty(), err);
      }

      if (!frames.begin_frame()) {
        --frame;  // the swapchain was remade: this frame did not happen
        continue;
      }
      if (!o.headless) batch = worker.take_newest(shown_id);  // only now: a skipped frame drops nothing
      if (batch) {
        const auto handoff_start = Clock::now();
        interop::ImageView view;
        view.data = batch->pixels;
        view.batch = batch->batch;
        view.height = batch->height;
        view.width = batch->width;
        sink.write(view, frames.slot());
        history.record(gui::Stage::Handoff, ms_since(handoff_start));
        history.record(gui::Stage::Generate, batch->generate_ms);
        shown_id = batch->id;
        ++batches;
        last_batch = Clock::now();
        if (batches == 1) first_batch = last_batch;
      }

      const auto extent = frames.extent();
      rects = tile_rects(extent);
      const auto ui_start = Clock::now();
      ui.new_frame(extent, dt);
      gui::apply_view_keys(settings);
      gui::draw_tile_labels(rects, kTileLabels);
      status.time = t;
      status.eps = TileWalks::eps(settings, t);
      status.frames = frame;
      status.batches = batches;
      if (settings.show_ui) panel.draw(status, settings);
      history.record(gui::Stage::Ui, ms_since(ui_start));

      const auto draw_start = Clock::now();
      renderer::FrameContent content;
      content.tiles = rects;
      content.overlay = [&](VkCommandBuffer cmd) { ui.record(cmd); };
      content.readback = o.out.has_value() || (o.screenshot && frame == last_frame);
      frames.end_frame(content);
      history.record(gui::Stage::Draw, ms_since(draw_start));
    }
    frames.finish();
  }  // the worker stops here
  writer.drain();

  // The same batches through the generator alone, with the same threads: what the pipeline's
  // throughput is measured against.
  double generator_only_fps = 0.0;
  {
    torch::NoGradGuard no_grad;
    const auto z0 = torch::from_blob(timed.front().data(), {kTiles, g.latent_dim()});
    (void)g.generate(z0);  // warm-up
    const auto start = Clock::now();
    for (auto& z : timed) (void)g.generate(torch::from_blob(z.data(), {kTiles, g.latent_dim()}));
    generator_only_fps = static_cast<double>(timed.size()) / std::chrono::duration<double>(Clock::now() - start).count();
  }
  const double span_s = std::chrono::duration<double>(last_batch - first_batch).count();
  const double pipeline_fps = batches > 1 && span_s > 0 ? static_cast<double>(batches - 1) / span_s : 0.0;

  if (o.json) {
    nlohmann::json j;
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
    j["host_copies_per_frame"] = sink.host_bytes_last_write() > 0 ? 1 : 0;
    if (context.validation_enabled())
      j["validation"] = {{"errors", context.validation_errors()}, {"warnings", context.validation_warnings()}};
    std::cout << j.dump() << "\n";
  } else {
    std::cout << "latentwalk view: " << frame << " frames on " << context.device_info().name << " (" << sink.name()
              << "), walking along " << walk.described << "\n"
              << "  pipeline " << pipeline_fps << " batches/s, generator alone " << generator_only_fps << " batches/s\n";
    if (o.out) std::cout << "  " << writer.written() << " frames written to " << o.out->string() << "\n";
    if (o.screenshot) std::cout << "  screenshot: " << o.screenshot->string() << "\n";
  }
  return context.validation_enabled() && (context.validation_errors() + context.validation_warnings()) > 0 ? 3 : 0;
}

}  // namespace lw::app
