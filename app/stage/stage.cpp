#include "app/stage/stage.hpp"
#include "gui/control/midi_decoder.hpp"

#include <torch/cuda.h>
#include <torch/torch.h>

#include <algorithm>
#include <thread>

#include "app/stage/background_record.hpp"
#include "app/stage/photo_inversion.hpp"
#include "app/stage/frame_outputs.hpp"
#include "app/stage/generator_worker.hpp"
#include "app/stage/session.hpp"
#include "app/stage/torch_call_counter.hpp"
#include "core/base/check.hpp"
#include "renderer/tile_layout.hpp"

namespace lw::stage {

namespace {

using Clock = std::chrono::steady_clock;
constexpr int kPathSamples = 48;            // points per compare plot

float ms_since(Clock::time_point start) {
  return std::chrono::duration<float, std::milli>(Clock::now() - start).count();
}

SessionUpdate snapshot(Session& s, SessionOutcome outcome) {
  return {std::move(outcome), s.state(), s.shared_model(), s.scene_builds()};
}

// A task's result; when the worker stopped before running it, the worker's own error.
template <typename T>
T result_of(std::future<T> future, const GeneratorWorker& worker) {
  try {
    return future.get();
  } catch (const std::future_error&) {
    const auto err = worker.error();
    LW_EXPECT(err.empty(), err);
    throw;
  }
}

}  // namespace

Stage::Stage(renderer::Context& context, renderer::RenderTarget& target, StageOptions options,
             std::shared_ptr<const plugin::Model> shared)
    : context_(context), target_(target), options_(std::move(options)), clock_(options_.start_time) {
  LW_EXPECT(options_.fps > 0.0, "--fps must be positive");
  torch_calls_ = std::make_unique<TorchCallCounter>();
  // The hand-off: CUDA's shared memory when a CUDA device is this GPU, else host staging.
  sink_ = interop::choose_sink(renderer::sink_request(context_, kFramesInFlight, options_.sink));
  // The generator runs where the hand-off reads: on the GPU when the CUDA path is chosen and this
  // LibTorch has CUDA (the sink then reads its output in place), on the host otherwise.
  const bool cuda_torch = torch::cuda::is_available();
  LW_EXPECT(options_.generator_device != "cuda" || cuda_torch,
            "--device cuda: this LibTorch has no CUDA (Debian's is built for the CPU only)");
  gpu_generator_ = options_.generator_device == "cuda" ||
                   (options_.generator_device == "auto" && cuda_torch && sink_.cuda_device >= 0);
  const int cuda_device = gpu_generator_ ? std::max(sink_.cuda_device, 0) : -1;
  threads_ = options_.threads > 0 ? options_.threads
                                  : std::max(1, static_cast<int>(std::thread::hardware_concurrency()) - 1);

  const SessionOptions so{options_.model, options_.direction, options_.preset_file, options_.seed, cuda_device,
                          options_.recordings, options_.difference};
  auto make_session = [so, preset = options_.preset, shared] { return std::make_unique<Session>(so, preset, shared); };
  worker_ = std::make_unique<GeneratorWorker>(
      make_session, threads_,
      options_.pacing == Pacing::Display ? GeneratorWorker::Mode::NewestWins : GeneratorWorker::Mode::EveryBatch,
      sink_.sink->name() == "cuda-shared", cuda_device);
  SessionUpdate first = result_of(worker_->run([](Session& s) { return snapshot(s, {}); }), *worker_);
  first_builds_ = first.builds;
  first.outcome.values_from_preset = true;
  apply_update(first);
  for (const auto& a : options_.assignments) registry_.assign(a);

  frames_ = std::make_unique<renderer::FrameRenderer>(context_, target_, *sink_.sink, kFramesInFlight);
  frames_->configure_sink(status_.session.tiles, status_.session.height, status_.session.width);
  frames_->on_readback([this](std::uint64_t submitted, const renderer::ReadbackImage& image) { deliver(submitted, image); });
  slot_storage_.resize(kFramesInFlight);
  status_.generator_device = gpu_generator_ ? "cuda" : "cpu";
  status_.sink = std::string(sink_.sink->name());
  status_.sink_reason = sink_.reason;
  status_.device = context_.device_info().name;
  status_.history = &history_;
  status_.playing = options_.playing;
}

Stage::~Stage() {
  background_.reset();  // a recording still running stops; its partial video is removed
  if (frames_) {
    frames_->on_readback(nullptr);
    try {
      frames_->finish();
    } catch (...) {
    }
  }
  worker_.reset();
  frames_.reset();
}

VkRenderPass Stage::render_pass() const { return frames_->render_pass(); }

void Stage::warm_up(Overlay* overlay) {
  const auto& s = status_.session;
  const std::vector<float> blank(static_cast<std::size_t>(s.tiles) * 3 * s.height * s.width, 0.f);
  while (!frames_->begin_frame()) {
  }
  sink_.sink->write(interop::ImageView{blank.data(), s.tiles, s.height, s.width, -1.f, 1.f}, frames_->slot());
  const auto extent = frames_->extent();
  lay_out_tiles(overlay, extent);
  renderer::FrameContent content;
  content.tiles = status_.tiles;
  if (overlay) {
    overlay->build(status_, extent, 0.f);
    content.overlay = [overlay](VkCommandBuffer cmd) { overlay->record(cmd); };
  }
  frames_->end_frame(content);
  frames_->finish();
  frames_->configure_sink(s.tiles, s.height, s.width);  // the blank batch is not shown again
  warmup_frames_ = frames_->frames_submitted();
}

void Stage::lay_out_tiles(const Overlay* overlay, VkExtent2D extent) {
  const auto& s = status_.session;
  const renderer::Rect area = overlay ? overlay->tile_area(extent)
                                      : renderer::Rect{0.f, 0.f, static_cast<float>(extent.width), static_cast<float>(extent.height)};
  status_.tiles = renderer::layout_tiles(s.tiles, area.width, area.height, static_cast<float>(s.width),
                                         static_cast<float>(s.height), 8.f);
  for (auto& r : status_.tiles) r.x += area.x, r.y += area.y;
}

void Stage::run_session_task(std::function<SessionUpdate(Session&)> task) {
  session_tasks_.push_back(worker_->run(std::move(task)));
}

void Stage::apply_update(SessionUpdate& u) {
  // What the sink and the parameters follow: the scene's version and the images' shape.
  const auto& was = status_.session;
  const bool new_scene = u.state.version != was.version;
  const bool reshaped = u.state.tiles != was.tiles || u.state.height != was.height || u.state.width != was.width;
  status_.session = u.state;
  if (model_ != u.model && model_ && worker_) {
    // A replaced model is freed on the model thread: its modules and weights are LibTorch's.
    worker_->run([old = std::move(model_)](Session&) mutable { old.reset(); });
  }
  model_ = u.model;
  counters_.scene_rebuilds = u.builds - first_builds_;
  if (!u.outcome.message.empty()) status_.message = u.outcome.message;
  status_.scene_error = u.outcome.scene_error;
  if (!u.outcome.scene_error.empty()) panels_reset_ = true;
  // Values are laid out by the scene: any new scene (whatever the request said) re-registers.
  if (!new_scene && !u.outcome.values_from_preset && frames_) return;
  status_.scene_error.clear();
  // The new scene's parameters: a loaded preset brings its values; an edit keeps the values
  // that were moved meanwhile, by path (a binding or a slider keeps its place).
  const ParameterRegistry old = registry_;
  layout_ = register_scene_parameters(registry_, status_.session.applied);
  if (!u.outcome.values_from_preset)
    for (int i = 0; i < registry_.size(); ++i)
      if (const auto j = old.find(registry_.info(i).path)) registry_.set(i, old.value(*j));
  if (frames_ && reshaped) frames_->configure_sink(u.state.tiles, u.state.height, u.state.width);
  bindings_.load(status_.session.applied.bindings, registry_);  // targets found again in the new layout
  if (track_) follow_track_with_scene();  // the new walks under the same track
}

void Stage::take_session_updates() {
  // In the order asked: a later request's state must not land before an earlier one's.
  while (!session_tasks_.empty() && session_tasks_.front().wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    try {
      SessionUpdate u = result_of(std::move(session_tasks_.front()), *worker_);
      apply_update(u);
    } catch (const std::exception& e) {
      status_.message = e.what();
      panels_reset_ = true;  // the panels show what plays, not the request that failed
    }
    session_tasks_.erase(session_tasks_.begin());
  }
  if (session_tasks_.empty() && queued_edit_) {
    const Preset next = std::move(*queued_edit_);
    queued_edit_.reset();
    edit(next);
  }
}

void Stage::settle() {
  for (auto& task : session_tasks_) task.wait();
  take_session_updates();
}

void Stage::sync_panels(Preset& panels) {
  synced_panels_.reset();
  if (queued_edit_ && !panels_reset_) return;  // the panels hold an edit waiting for its build
  if (panels_version_ != status_.session.version || panels_reset_) {
    panels = current_preset();
    panels_version_ = status_.session.version;
    panels_reset_ = false;
  } else if (structure_of(panels) == structure_of(status_.session.applied)) {
    write_parameter_values(panels, layout_, registry_.values());
  } else {
    return;  // a structure edit on its way: the panels keep it
  }
  synced_panels_ = panels;
}

void Stage::edit(const Preset& panels) {
  // Every frame of a window: the panels as synced, untouched, change nothing.
  if (synced_panels_ && panels == *synced_panels_) return;
  // Moved values apply now, to every path the registry has (a structure edit's new scene keeps
  // them).
  for (const auto& [index, value] : parameter_changes(panels, current_preset(), registry_)) registry_.set(index, value);
  if (panels.bindings != status_.session.applied.bindings) {  // not structure: the engine takes them now
    status_.session.applied.bindings = panels.bindings;
    bindings_.load(panels.bindings, registry_);
  }
  if (structure_of(panels) != structure_of(status_.session.applied)) {
    // Built on the worker while the last scene plays; one build at a time, the newest edit
    // waiting for the one in flight.
    if (!session_tasks_.empty()) {
      queued_edit_ = panels;
      return;
    }
    run_session_task([p = panels](Session& s) { return snapshot(s, s.rebuild(p)); });
    return;
  }
  status_.session.applied.duration = panels.duration;  // the record length: neither structure nor drawn
}

void Stage::save_preset(const std::filesystem::path& path) {
  result_of(worker_->run([path, p = current_preset()](Session& s) { s.save(path, p); }), *worker_);
}

Preset Stage::current_preset() const {
  Preset p = status_.session.applied;
  write_parameter_values(p, layout_, registry_.values());
  return p;
}

void Stage::command(const Command& c) {
  switch (c.kind) {
    case Command::Kind::OpenModel:
      run_session_task([path = c.text](Session& s) { return snapshot(s, s.open_model(path)); });
      break;
    case Command::Kind::OpenDirection:
      run_session_task([path = c.text](Session& s) { return snapshot(s, s.open_direction(path)); });
      break;
    case Command::Kind::LoadPreset:
      run_session_task([path = c.text](Session& s) { return snapshot(s, s.load_preset(path)); });
      break;
    case Command::Kind::SavePreset:
      run_session_task([path = c.text, p = current_preset()](Session& s) { return snapshot(s, s.save_preset(path, p)); });
      break;
    case Command::Kind::Restart: clock_.restart(); break;
    case Command::Kind::Step: clock_.advance(c.count / options_.fps); break;
    case Command::Kind::Tap: {
      const double bpm = clock_.tap(c.at.value_or(stage_seconds()));
      if (bpm >= 20.0 && bpm <= 400.0) registry_.set(layout_.bpm, bpm);
      break;
    }
    case Command::Kind::OpenPhoto: open_photo(c.text, c.count > 0 ? c.count : 300); break;
    case Command::Kind::Learn: status_.learning = c.text; break;
    case Command::Kind::Unbind: {
      auto bindings = status_.session.applied.bindings;
      std::erase_if(bindings, [&](const Binding& b) { return b.target == c.text; });
      set_bindings(std::move(bindings));
      break;
    }
    case Command::Kind::Screenshot:
    case Command::Kind::Record:
    case Command::Kind::Capture: recording_command(c); break;
  }
}

void Stage::post(std::uint64_t frame) {
  FrameRequest r;
  r.id = next_id_++;
  if (options_.pacing == Pacing::Content) clock_.set(options_.start_time + static_cast<double>(frame) / options_.fps);
  r.clock_time = clock_.time();
  r.walk_time = clock_.walk_time(registry_.value(layout_.speed));
  r.version = status_.session.version;
  r.values = registry_.values();
  if (options_.replay) {  // a performance re-rendered: its clock, walk and values at this frame's time
    const double at = static_cast<double>(frame) / options_.fps;
    const AutomationFrame t = options_.replay->times_at(at);
    r.clock_time = t.clock, r.walk_time = t.walk;
    r.values = options_.replay->values_at(at, registry_);
  }
  if (automation_) {
    const double at = options_.pacing == Pacing::Content
                          ? static_cast<double>(frame) / options_.fps
                          : std::chrono::duration<double>(Clock::now() - automation_start_).count();
    automation_->frame(at, r.clock_time, r.walk_time, registry_);
  }
  if (timed_.size() < static_cast<std::size_t>(kTimedBatches)) timed_.push_back(r);
  posted_.emplace_back(frame, r.id);
  posted_changes_ = registry_.changes();
  posted_version_ = r.version;
  worker_->request(std::move(r));
}

void Stage::post_ahead() {
  // A value or the scene moved since the frames ahead were asked for: ask again, so frame k
  // shows exactly the values set before it began.
  if (!posted_.empty() && (registry_.changes() != posted_changes_ || status_.session.version != posted_version_)) {
    worker_->cancel_queued();
    posted_.clear();
  }
  std::erase_if(posted_, [&](const auto& p) { return p.first < frame_; });
  // Frame k+1's codes wait while frame k's run: the generator never idles between frames.
  const std::uint64_t last = options_.frames > 0 ? static_cast<std::uint64_t>(options_.frames - 1) : UINT64_MAX;
  for (std::uint64_t f = frame_; f <= std::min(frame_ + 1, std::max(last, frame_)); ++f)
    if (std::none_of(posted_.begin(), posted_.end(), [&](const auto& p) { return p.first == f; })) post(f);
}

void Stage::check_worker() const {
  const auto err = worker_->error();
  LW_EXPECT(err.empty(), err);
}

const ImageBatch* Stage::wait_batch(std::uint64_t wanted) {
  for (;;) {
    const ImageBatch* b = worker_->wait_newest(shown_id_, std::chrono::milliseconds(500));
    check_worker();
    if (!b) continue;
    shown_id_ = b->id;
    if (b->stale && b->id >= wanted) {
      // The scene changed under the frames asked for (its build finished meanwhile): take the
      // new scene and ask again, so this frame shows it.
      ++counters_.stale_batches;
      settle();
      worker_->cancel_queued();
      posted_.clear();
      if (options_.pacing == Pacing::Content) post_ahead();
      else post(frame_);
      wanted = posted_.front().second;
      continue;
    }
    if (b->id < wanted || b->stale) {
      ++counters_.stale_batches;  // asked for before a change: not this frame's
      continue;
    }
    LW_CHECK(b->id == wanted, "the worker skipped frame request " << wanted);
    return b;
  }
}

const ImageBatch* Stage::next_batch(double dt, bool exact) {
  if (options_.pacing == Pacing::Content) return wait_batch(posted_.front().second);
  if (status_.playing && !playback_) clock_.advance(dt);  // a played track sets the clock itself
  posted_.clear();
  post(frame_);
  check_worker();
  if (exact) return wait_batch(posted_.back().second);
  // Newest wins: whatever finished last, never waiting.
  const ImageBatch* b = worker_->take_newest(shown_id_);
  if (b) shown_id_ = b->id;
  if (b && b->stale) ++counters_.stale_batches;
  return b && !b->stale ? b : nullptr;
}

void Stage::show(const ImageBatch& b) {
  const auto& s = status_.session;
  status_.eps = b.eps;
  status_.path_phase = b.plot_phase;
  if (options_.pacing == Pacing::Content) status_.time = b.clock_time;
  if (b.batch != s.tiles || b.height != s.height || b.width != s.width) return;  // a batch of the walks before an edit
  const auto handoff_start = Clock::now();
  interop::ImageView view{b.pixels, b.batch, b.height, b.width, -1.f, 1.f, b.on_device, b.ready_event.get()};
  sink_.sink->write(view, frames_->slot());
  // The batch's memory stays until this slot's frame has finished (its fence, in begin_frame).
  slot_storage_[static_cast<std::size_t>(frames_->slot())] = b.storage;
  history_.record(Timing::Handoff, ms_since(handoff_start));
  history_.record(Timing::Generate, b.generate_ms);
  ++counters_.batches;
  last_batch_ = Clock::now();
  if (counters_.batches == 1) first_batch_ = last_batch_;
  // The pipeline's throughput is measured over the batches the generator alone is timed on.
  if (counters_.batches <= kTimedBatches) timed_batches_ = counters_.batches, last_timed_batch_ = last_batch_;
}

bool Stage::begin_frame(double dt, bool exact) {
  take_session_updates();
  drain_controls(options_.pacing == Pacing::Content ? 1.0 / options_.fps : dt);
  update_recordings();
  update_photo();
  const auto frame_start = Clock::now();
  if (frame_ > 0) history_.record(Timing::Frame, std::chrono::duration<float, std::milli>(frame_start - last_frame_start_).count());
  last_frame_start_ = frame_start;
  dt_ = dt;
  if (options_.pacing == Pacing::Content) post_ahead();
  if (!frames_->begin_frame()) return false;  // the target was remade: this frame did not happen
  if (const ImageBatch* batch = next_batch(dt, exact)) show(*batch);
  if (options_.pacing == Pacing::Display) status_.time = clock_.time();
  return true;
}

void Stage::request_plots() {
  if (plots_.valid() && plots_.wait_for(std::chrono::seconds(0)) == std::future_status::ready) {
    try {
      status_.paths = plots_.get();
    } catch (const std::exception& e) {
      status_.paths.clear();
      status_.message = std::string("compare plots failed: ") + e.what();
    }
  }
  // The compare plots follow the walks: recomputed in the worker's spare time when they change.
  if (!plots_wanted_ || plots_.valid()) return;
  if (plotted_version_ == status_.session.version && plotted_changes_ == registry_.changes()) return;
  plotted_version_ = status_.session.version;
  plotted_changes_ = registry_.changes();
  plots_ = worker_->run_spare([version = plotted_version_, values = registry_.values()](Session& s) {
    if (s.version() != version) return std::vector<PathMetrics>{};
    return s.scene().path_metrics(kPathSamples, values);
  });
}

void Stage::wait_plots() {
  request_plots();
  if (plots_.valid()) plots_.wait();
  request_plots();
}

void Stage::end_frame(Overlay* overlay) {
  const auto extent = frames_->extent();
  lay_out_tiles(overlay, extent);
  request_plots();
  status_.counters = counters();
  const auto ui_start = Clock::now();
  renderer::FrameContent content;
  content.tiles = status_.tiles;
  if (overlay) {
    overlay->build(status_, extent, static_cast<float>(dt_));
    content.overlay = [overlay](VkCommandBuffer cmd) { overlay->record(cmd); };
  }
  history_.record(Timing::Ui, ms_since(ui_start));
  const auto draw_start = Clock::now();
  auto wants = [&](const FrameObserver* o) { return o->wants(frame_); };
  content.readback = std::any_of(observers_.begin(), observers_.end(), wants) ||
                     std::any_of(owned_observers_.begin(), owned_observers_.end(), [&](const auto& o) { return wants(o.get()); });
  frames_->end_frame(content);
  history_.record(Timing::Draw, ms_since(draw_start));
  ++frame_;
}

void Stage::deliver(std::uint64_t submitted, const renderer::ReadbackImage& image) {
  const std::uint64_t index = submitted - warmup_frames_;
  for (FrameObserver* o : observers_)
    if (o->wants(index)) o->on_frame(index, image);
  for (auto& o : owned_observers_)
    if (o->wants(index)) o->on_frame(index, image);
}

void Stage::finish() {
  frames_->finish();
  if (capture_) recording_command({Command::Kind::Capture, "", 0, false});  // a capture still running ends with the run
}

void Stage::abandon() noexcept {
  frames_->on_readback(nullptr);
  try {
    frames_->finish();
  } catch (...) {
  }
  frames_->on_readback([this](std::uint64_t submitted, const renderer::ReadbackImage& image) { deliver(submitted, image); });
}

void Stage::add_observer(FrameObserver* observer) { observers_.push_back(observer); }

void Stage::remove_observer(FrameObserver* observer) { std::erase(observers_, observer); }

StageCounters Stage::counters() const {
  StageCounters c = counters_;
  c.frames = frame_;
  c.render_thread_torch_calls = torch_calls_->calls();
  const double span_s = std::chrono::duration<double>(last_timed_batch_ - first_batch_).count();
  c.pipeline_fps = timed_batches_ > 1 && span_s > 0 ? static_cast<double>(timed_batches_ - 1) / span_s : 0.0;
  return c;
}

double Stage::generator_only_fps() {
  if (timed_.empty()) return 0.0;
  const bool gpu = gpu_generator_;
  return result_of(worker_->run([requests = timed_, gpu](Session& s) mutable {
    std::vector<float> codes;
    Scene& scene = s.scene();
    auto run = [&](FrameRequest& r) {
      scene.codes(r.walk_time, r.values, codes);
      const auto tiles = static_cast<std::int64_t>(scene.tiles());
      const auto z = scene.rows() > 1 ? torch::from_blob(codes.data(), {tiles, scene.rows(), scene.dims()})
                                      : torch::from_blob(codes.data(), {tiles, scene.dims()});
      return render_codes(*s.model().generator, z, scene.spec(r.values), s.w_avg());
    };
    std::erase_if(requests, [&](const FrameRequest& r) { return r.version != s.version(); });
    if (requests.empty()) return 0.0;
    (void)run(requests.front());  // warm-up
    const auto start = Clock::now();
    for (auto& r : requests) (void)run(r);
    if (gpu) torch::cuda::synchronize();  // the GPU's work done, not just queued (after the loop)
    return static_cast<double>(requests.size()) / std::chrono::duration<double>(Clock::now() - start).count();
  }), *worker_);
}

}  // namespace lw::stage
