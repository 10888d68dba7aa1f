#include "app/view_loop.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <cmath>
#include <chrono>
#include <ctime>
#include <cstdlib>
#include <cstdio>
#include <future>
#include <tuple>
#include <iostream>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>
#include <unistd.h>

#include "app/frame_writer.hpp"
#ifdef LW_HAVE_VIDEO
#include "app/background_record.hpp"
#include "app/live_capture.hpp"
#endif
#include "app/generator_worker.hpp"
#include "app/dplase_space.hpp"
#include "app/walk_direction.hpp"
#include "core/check.hpp"
#include "core/image.hpp"
#include "core/boundary.hpp"
#include "core/atomic_file.hpp"
#include "core/preset.hpp"
#include "core/progress.hpp"
#include "core/walk.hpp"
#include "core/walk_batch.hpp"
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
#ifdef LW_HAVE_VIDEO
#include "renderer/video_encoder.hpp"
#endif

namespace lw::app {
namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

namespace {

constexpr int kFramesInFlight = 2;
constexpr std::size_t kTimedBatches = 256;  // batches kept to time the generator alone afterwards

float ms_since(Clock::time_point start) {
  return std::chrono::duration<float, std::milli>(Clock::now() - start).count();
}

// The tiles' walks, driven by one clock: a preset's, or by default a linear beside a
// density-preserving walk from the same start along one direction. The panel's seed, stride and
// period apply to the direction walks when the user changes them.
struct TileWalks {
  std::vector<WalkSettings> walks;
  std::vector<std::string> labels;
  std::vector<bool> follows_seed;  // start code from the panel's seed (not a per-tile seed)
  std::string described;
  int seed = 0;
  float stride = 0.f, period = 0.f;
  // In W, codes are the mapping of seeded codes and dp walks go through the learned C.
  bool w_space = false;
  std::function<Latent(int)> code_of;
  std::shared_ptr<LearnedModules> learned;
  // What the walks came from, so the Record control can save them as they are set now.
  Preset preset;
  fs::path preset_file;                      // empty: paths in `preset` are absolute
  std::optional<Latent> unsaved_direction;   // a direction computed at start, not from a file

  int count() const { return static_cast<int>(walks.size()); }

  void apply(const gui::ViewSettings& s) {
    for (std::size_t i = 0; i < walks.size(); ++i) {
      auto& w = walks[i];
      if (w.kind == WalkKind::Slerp) continue;
      if (s.seed != seed && follows_seed[i]) w.start = code_of(s.seed);
      if (s.stride != stride) w.stride = s.stride;
      if (s.period != period) w.period = s.period;
    }
    seed = s.seed, stride = s.stride, period = s.period;
  }

  // The first direction walk's step at time t, for the panel.
  float eps(double t) const {
    for (const auto& w : walks)
      if (w.kind != WalkKind::Slerp) return walk_eps(w, t);
    return 0.f;
  }

  // The walks as set now, as a preset whose paths hold from anywhere; a computed direction is
  // written beside it as `<stem>-direction.npy`.
  Preset current(const fs::path& preset_path) const {
    Preset p = preset;
    auto absolute = [&](const std::string& path) {
      return fs::absolute(preset_file.empty() ? fs::path(path) : resolve_preset_path(preset_file, path)).string();
    };
    p.model = absolute(p.model);
    if (!p.density.empty()) p.density = absolute(p.density);
    p.seed = seed;
    std::string direction_file;
    if (unsaved_direction) {
      const fs::path file = preset_path.parent_path() / (preset_path.stem().string() + "-direction.npy");
      write_boundary(file, *unsaved_direction);
      direction_file = fs::absolute(file).string();
    }
    for (std::size_t i = 0; i < p.tiles.size(); ++i) {
      auto& tile = p.tiles[i];
      if (tile.walk == WalkKind::Slerp) continue;
      tile.direction = direction_file.empty() ? absolute(tile.direction) : direction_file;
      tile.stride = walks[i].stride;
      tile.period = walks[i].period;
    }
    return p;
  }

  // A dp walk in W, z0 + eps gamma + C(z0, eps, gamma), tabulated at kPathKnots strides over
  // -stride..stride in one batch whenever its start, direction or stride changes, and read by
  // linear interpolation: a frame then costs no network evaluation on the render thread, and
  // the window and headless runs read the same table.
  static constexpr int kPathKnots = 1024;
  struct DpPath {
    Latent start, direction;
    float stride = -1.f;
    Eigen::MatrixXf knots;  // [d, kPathKnots]
  };
  mutable std::vector<DpPath> paths;

  Latent code_at(std::size_t i, double t) const {
    const WalkSettings& w = walks[i];
    if (!(w_space && w.kind == WalkKind::DensityPreserving)) return latent_at(w, t);
    paths.resize(walks.size());
    DpPath& p = paths[i];
    const auto n = static_cast<std::int64_t>(w.start.size());
    if (p.stride != w.stride || p.start != w.start || p.direction != w.direction) {
      torch::NoGradGuard no_grad;
      const auto start = torch::from_blob(const_cast<float*>(w.start.data()), {1, n}).expand({kPathKnots, n});
      const auto dir = torch::from_blob(const_cast<float*>(w.direction.data()), {1, n}).expand({kPathKnots, n});
      const auto eps = torch::linspace(-w.stride, w.stride, kPathKnots);
      const auto ends = learned->correction->walk(*learned->density, start, eps, dir).contiguous();
      p.knots = Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>>(
                    ends.data_ptr<float>(), kPathKnots, n).transpose();
      p.start = w.start, p.direction = w.direction, p.stride = w.stride;
    }
    if (w.stride <= 0.f) return w.start;
    const double u = (static_cast<double>(walk_eps(w, t)) / w.stride + 1.0) * 0.5 * (kPathKnots - 1);
    const int k = std::clamp(static_cast<int>(std::floor(u)), 0, kPathKnots - 2);
    const float f = static_cast<float>(std::clamp(u - k, 0.0, 1.0));
    return (1.f - f) * p.knots.col(k) + f * p.knots.col(k + 1);
  }

  void fill(LatentRequest& r, double t) const {
    r.t = t;
    r.batch = count();
    r.w_space = w_space;
    r.dim = static_cast<int>(walks.front().kind == WalkKind::Slerp ? walks.front().keyframes.front().size()
                                                                   : walks.front().start.size());
    r.z.resize(static_cast<std::size_t>(r.batch) * r.dim);
    for (int i = 0; i < r.batch; ++i) {
      const Latent z = code_at(static_cast<std::size_t>(i), t);
      std::copy_n(z.data(), r.dim, r.z.data() + static_cast<std::size_t>(i) * r.dim);
    }
  }
};

TileWalks preset_walks(const Preset& p, const fs::path& file, const plugin::Model& model, gui::ViewSettings& settings) {
  const Generator& g = *model.generator;
  TileWalks t;
  t.w_space = p.space == "w";
  const int dims = t.w_space ? g.w_dim() : g.latent_dim();
  LW_EXPECT(!t.w_space || dims > 0, "the preset walks in W, but this model has no mapping network");
  t.code_of = [&g, w = t.w_space](int seed) {
    const Latent z = seeded_code(seed, g.latent_dim());
    if (!w) return z;
    torch::NoGradGuard no_grad;
    const auto code = g.mapping(torch::from_blob(const_cast<float*>(z.data()), {1, z.size()})).contiguous();
    return Latent(Eigen::Map<const Latent>(code.data_ptr<float>(), code.size(1)));
  };
  t.walks = resolve_walks(p, file, dims, t.code_of);
  const bool any_dp = std::any_of(p.tiles.begin(), p.tiles.end(), [](const TilePreset& x) { return x.walk == WalkKind::DensityPreserving; });
  if (t.w_space && any_dp) {
    const fs::path folder = p.density.empty() ? shipped_dplase_folder(model, Space::W)
                            : file.empty()    ? fs::path(p.density)
                                              : resolve_preset_path(file, p.density);
    t.learned = std::make_shared<LearnedModules>(load_learned(folder, dims));
  }
  for (const auto& tile : p.tiles) {
    t.labels.push_back(tile.label);
    t.follows_seed.push_back(!tile.start_seed.has_value());
  }
  t.described = file.empty() ? "the default comparison" : "the preset " + file.string();
  t.preset = p;
  t.preset_file = file;
  settings.seed = t.seed = p.seed;
  for (const auto& w : t.walks)
    if (w.kind != WalkKind::Slerp) {
      settings.stride = w.stride;
      settings.period = w.period;
      break;
    }
  t.stride = settings.stride;
  t.period = settings.period;
  return t;
}

// The compare plots: log-density, latent norm and realism along each tile's walk, sampled evenly
// over one period. Runs off the render thread (on a copy of the walks) when the walks change.
constexpr int kPathSamples = 48;

std::vector<gui::PathPlot> path_metrics(TileWalks walks, const plugin::Model& model) {
  torch::NoGradGuard no_grad;
  const Generator& g = *model.generator;
  std::vector<gui::PathPlot> out;
  for (std::size_t i = 0; i < walks.walks.size(); ++i) {
    const auto& w = walks.walks[i];
    const double period = w.kind == WalkKind::Slerp ? w.segment * static_cast<double>(w.keyframes.size() - (w.loop ? 0 : 1))
                                                    : w.period;
    gui::PathPlot plot;
    plot.label = walks.labels[i];
    std::vector<Latent> codes;
    for (int k = 0; k < kPathSamples; ++k) {
      codes.push_back(walks.code_at(i, period * k / (kPathSamples - 1)));
      plot.norm.push_back(codes.back().norm());
    }
    const auto d = static_cast<std::int64_t>(codes.front().size());
    auto batch = torch::empty({kPathSamples, d});
    for (int k = 0; k < kPathSamples; ++k) std::copy_n(codes[static_cast<std::size_t>(k)].data(), d, batch[k].data_ptr<float>());
    at::Tensor logp;
    if (!walks.w_space && model.manifest.prior == "gaussian") logp = gaussian_log_density(batch);
    else if (walks.learned) logp = walks.learned->density->log_density(batch);
    if (logp.defined()) plot.log_density.assign(logp.data_ptr<float>(), logp.data_ptr<float>() + kPathSamples);
    if (model.discriminator) {
      const auto r = model.discriminator->realism(walks.w_space ? g.synthesis(batch) : g.generate(batch)).contiguous();
      plot.realism.assign(r.data_ptr<float>(), r.data_ptr<float>() + kPathSamples);
    }
    out.push_back(std::move(plot));
  }
  return out;
}

// The viewer's default: linear beside density-preserving along the age boundary from one start,
// in W when the model ships a W boundary and learned F and C (there the two walks differ; a
// StyleGAN-style mapping normalises z, so in Z they draw the same images), in Z otherwise.
TileWalks default_walks(const plugin::Model& model, const ViewOptions& o, gui::ViewSettings& settings) {
  const fs::path w_age = model.folder / "boundaries" / "w" / "age.npy", z_age = model.folder / "boundaries" / "z" / "age.npy";
  Preset p;
  p.model = fs::absolute(model.folder).string();
  p.seed = o.seed;
  std::optional<Latent> computed;
  fs::path direction;
  if (o.direction) {
    direction = *o.direction;
  } else if (fs::exists(w_age) && fs::is_directory(shipped_dplase_folder(model, Space::W))) {
    p.space = "w";
    direction = w_age;
    settings.stride = 3.f;
  } else if (fs::exists(z_age)) {
    direction = z_age;
  } else {
    // No boundary shipped: the least-squares age direction in Z, kept in a temporary file.
    const auto dir = attribute_direction(model, "age", 500);
    direction = fs::temp_directory_path() / ("latentwalk-" + std::to_string(::getpid()) + "-direction.npy");
    write_boundary(direction, dir.direction);
    computed = dir.direction;
  }
  p.duration = 2.0 * settings.period;
  for (const auto kind : {WalkKind::Linear, WalkKind::DensityPreserving}) {
    TilePreset tile;
    tile.label = kind == WalkKind::Linear ? "linear" : "density-preserving";
    tile.walk = kind;
    tile.direction = fs::absolute(direction).string();
    tile.stride = settings.stride;
    tile.period = settings.period;
    p.tiles.push_back(tile);
  }
  TileWalks t = preset_walks(p, {}, model, settings);
  t.unsaved_direction = computed;
  t.described = "age in " + std::string(p.space == "w" ? "W" : "Z") + " (" + direction.string() + ")";
  return t;
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
  if (o.preset) preset = read_preset(*o.preset);  // a broken preset fails before anything opens
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

  auto model = plugin::load_model(preset ? resolve_preset_path(*o.preset, preset->model) : o.model);
  const Generator& g = *model.generator;
  const int threads = o.threads > 0 ? o.threads : std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1);
  torch::set_num_threads(threads);
  if (window) window->set_title("latentwalk - " + model.manifest.name);
  gui::ViewSettings settings;
  settings.show_ui = o.show_ui;
  TileWalks walks = preset ? preset_walks(*preset, *o.preset, model, settings) : default_walks(model, o, settings);
  const int tiles = walks.count();

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
  FrameWriter writer(FrameWriter::depth_for(512, o.width, o.height));
  renderer::FrameRenderer frames(context, *target, sink, kFramesInFlight);
  frames.configure_sink(tiles, g.height(), g.width());
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
                                  static_cast<float>(g.width()), static_cast<float>(g.height()), 8.f);
  };
  // One frame with every pipeline in use before anything is timed: drivers that compile shaders
  // on first use (lavapipe's JIT does) would otherwise stall the first timed frames.
  {
    const std::vector<float> blank(static_cast<std::size_t>(tiles) * 3 * g.height() * g.width(), 0.f);
    const auto extent = frames.extent();
    const auto rects = tile_rects(extent);
    while (!frames.begin_frame()) {
      if (window) window->wait_events();
    }
    sink.write(interop::ImageView{blank.data(), tiles, g.height(), g.width(), -1.f, 1.f}, frames.slot());
    ui.new_frame(extent, 0.f);
    gui::draw_tile_labels(rects, walks.labels);
    renderer::FrameContent content;
    content.tiles = rects;
    content.overlay = [&](VkCommandBuffer cmd) { ui.record(cmd); };
    frames.end_frame(content);
    frames.finish();
    frames.configure_sink(tiles, g.height(), g.width());  // the blank batch is not shown again
  }
  const std::uint64_t warmup = frames.frames_submitted();

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
        const Preset now = walks.current(*r.preset);
        write_preset(*r.preset, now);
        r.fps = now.fps;
        r.frames = std::max<std::int64_t>(1, std::llround(now.duration * now.fps));
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
#endif
#ifdef LW_HAVE_VIDEO
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

  std::vector<std::vector<float>> timed;  // latents of the first batches, timed alone at the end
  LatentRequest request;
  std::uint64_t next_id = 1;
  double t = o.start_time;
  auto post = [&](GeneratorWorker& worker) {
    walks.apply(settings);
    request.id = next_id++;
    walks.fill(request, t);
    if (timed.size() < kTimedBatches) timed.push_back(request.z);
    worker.request(request);
  };


  std::vector<renderer::Rect> rects;
  std::uint64_t shown_id = 0, batches = 0, frame = 0;
  std::future<std::vector<gui::PathPlot>> plots;
  std::tuple<int, float, float> plotted{-1, -1.f, -1.f};
  Clock::time_point first_batch{}, last_batch{}, last_frame_start{};
  const auto loop_start = Clock::now();
  std::optional<ProgressBar> bar;
  if (o.progress && o.frames > 0) bar.emplace(o.video ? "record" : "render", o.frames, "frame");
  {
    GeneratorWorker worker(g, threads,
                           o.headless ? GeneratorWorker::Mode::EveryBatch : GeneratorWorker::Mode::NewestWins);
    post(worker);
    // Headless, the generator works a batch ahead: frame k+1's codes wait while frame k's run.
    if (o.headless && last_frame > 0) {
      t = o.start_time + 1.0 / o.fps;
      post(worker);
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
          batch = worker.wait_newest(shown_id, std::chrono::milliseconds(500));
          const auto err = worker.error();
          LW_EXPECT(err.empty(), err);
        }
        if (frame + 2 <= last_frame) {
          t = o.start_time + static_cast<double>(frame + 2) / o.fps;
          post(worker);
        }
        t = batch->t;
      } else {
        if (settings.playing) t += dt;
        else t += settings.step_frames / o.fps;  // arrow keys: a frame at a time while paused
        settings.step_frames = 0;
        if (settings.fullscreen != window->fullscreen()) window->set_fullscreen(settings.fullscreen);
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
      gui::draw_tile_labels(rects, walks.labels);
      status.time = t;
      status.eps = walks.eps(t);
      if (settings.show_ui) {
        // The compare plots follow the walks: recomputed in the background when they change.
        if (plots.valid() && plots.wait_for(std::chrono::seconds(0)) == std::future_status::ready) status.paths = plots.get();
        const auto key = std::make_tuple(walks.seed, walks.stride, walks.period);
        if (!plots.valid() && key != plotted) {
          plotted = key;
          plots = std::async(std::launch::async, path_metrics, walks, std::cref(model));
        }
        status.path_phase = walks.period > 0.f ? static_cast<float>(std::fmod(t, walks.period) / walks.period) : 0.f;
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
  }  // the worker stops here
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

  // The same batches through the generator alone, with the same threads: what the pipeline's
  // throughput is measured against.
  double generator_only_fps = 0.0;
  {
    torch::NoGradGuard no_grad;
    const int dim = walks.w_space ? g.w_dim() : g.latent_dim();
    auto run = [&](std::vector<float>& codes) {
      const auto c = torch::from_blob(codes.data(), {tiles, dim});
      return walks.w_space ? g.synthesis(c) : g.generate(c);
    };
    (void)run(timed.front());  // warm-up
    const auto start = Clock::now();
    for (auto& z : timed) (void)run(z);
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
  j["host_copies_per_frame"] = sink.host_bytes_last_write() > 0 ? 1 : 0;
  if (context.validation_enabled())
    j["validation"] = {{"errors", context.validation_errors()}, {"warnings", context.validation_warnings()}};
  std::ostringstream summary;
  summary << "latentwalk view: " << frame << " frames on " << context.device_info().name << " (" << sink.name()
          << "), walking along " << walks.described << "\n"
          << "  pipeline " << pipeline_fps << " batches/s, generator alone " << generator_only_fps << " batches/s\n";
  if (o.out) summary << "  " << writer.written() << " frames written to " << o.out->string() << "\n";
  if (o.screenshot) summary << "  screenshot: " << o.screenshot->string() << "\n";
  if (!status.capture_status.empty()) summary << "  " << status.capture_status << "\n";
  result.summary = summary.str();
  result.frames = frame;
  result.render_seconds = loop_seconds - encoder_wait;
  result.wall_seconds = wall_seconds;
  return result;
}

}  // namespace lw::app
