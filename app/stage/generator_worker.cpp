#include "app/stage/generator_worker.hpp"

#include <torch/torch.h>

#include "app/stage/session.hpp"
#include "core/base/check.hpp"
#include "core/render_codes.hpp"
#include "interop/cuda_ready_event.hpp"

namespace lw::stage {

GeneratorWorker::GeneratorWorker(std::function<std::unique_ptr<Session>()> make_session, int threads, Mode mode,
                                 bool device_output, int cuda_device)
    : mode_(mode), device_output_(device_output), cuda_device_(cuda_device) {
  std::promise<void> started;
  auto ready = started.get_future();
  thread_ = std::thread([this, make = std::move(make_session), threads, p = std::move(started)]() mutable {
    run_thread(std::move(make), threads, std::move(p));
  });
  try {
    ready.get();  // the session's error, if any, is the constructor's
  } catch (...) {
    thread_.join();
    throw;
  }
}

GeneratorWorker::~GeneratorWorker() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  work_cv_.notify_all();
  taken_cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void GeneratorWorker::request(FrameRequest r) {
  {
    std::lock_guard lock(mutex_);
    if (mode_ == Mode::NewestWins) pending_.clear();
    LW_CHECK(static_cast<int>(pending_.size()) < kQueue, "more than " << kQueue << " frames outstanding");
    pending_.push_back(std::move(r));
  }
  work_cv_.notify_one();
}

void GeneratorWorker::cancel_queued() {
  std::lock_guard lock(mutex_);
  pending_.clear();
}

void GeneratorWorker::enqueue(Task task, bool spare) {
  {
    std::lock_guard lock(mutex_);
    if (stopped_) return;  // the task goes unrun: its future reports a broken promise
    (spare ? spare_ : tasks_).push_back(std::move(task));
  }
  work_cv_.notify_one();
}

const ImageBatch* GeneratorWorker::take_newest(std::uint64_t after) {
  std::lock_guard lock(mutex_);
  if (!ready_fresh_ || slots_[static_cast<std::size_t>(ready_)].id <= after) return nullptr;
  std::swap(ready_, reading_);
  ready_fresh_ = false;
  taken_cv_.notify_all();
  return &slots_[static_cast<std::size_t>(reading_)];
}

const ImageBatch* GeneratorWorker::wait_newest(std::uint64_t after, std::chrono::milliseconds timeout) {
  std::unique_lock lock(mutex_);
  const bool got = result_cv_.wait_for(lock, timeout, [&] {
    return !error_.empty() || (ready_fresh_ && slots_[static_cast<std::size_t>(ready_)].id > after);
  });
  if (!got || !ready_fresh_) return nullptr;
  std::swap(ready_, reading_);
  ready_fresh_ = false;
  taken_cv_.notify_all();
  return &slots_[static_cast<std::size_t>(reading_)];
}

std::string GeneratorWorker::error() const {
  std::lock_guard lock(mutex_);
  return error_;
}

void GeneratorWorker::render(FrameRequest& r, ImageBatch& out) {
  const auto start = std::chrono::steady_clock::now();
  out.id = r.id;
  out.version = r.version;
  out.clock_time = r.clock_time;
  out.stale = r.version != session_->version();
  out.storage.reset();
  out.ready_event.reset();
  out.pixels = nullptr;
  if (out.stale) return;  // the values belong to another scene's parameters
  Scene& scene = session_->scene();
  scene.codes(r.walk_time, r.values, codes_);
  const auto tiles = static_cast<std::int64_t>(scene.tiles());
  const auto z = scene.rows() > 1 ? torch::from_blob(codes_.data(), {tiles, scene.rows(), scene.dims()})
                                  : torch::from_blob(codes_.data(), {tiles, scene.dims()});
  at::Tensor generated =
      scene.shown_images(render_codes(*session_->model().generator, z, scene.spec(r.values), session_->w_avg()), r.values)
          .contiguous();
  if (generated.is_cuda()) {
    if (device_output_) out.ready_event = interop::record_ready_event(cuda_device_);
    else generated = generated.to(at::kCPU);  // on this thread, never the render thread
  }
  auto images = std::make_shared<at::Tensor>(std::move(generated));
  out.batch = static_cast<int>(images->size(0));
  out.height = static_cast<int>(images->size(2));
  out.width = static_cast<int>(images->size(3));
  out.pixels = images->data_ptr<float>();
  out.on_device = images->is_cuda();
  out.storage = std::move(images);
  out.eps = scene.eps(r.walk_time, r.values);
  out.plot_phase = scene.plot_phase(r.walk_time, r.values);
  out.generate_ms = std::chrono::duration<float, std::milli>(std::chrono::steady_clock::now() - start).count();
}

bool GeneratorWorker::publish(ImageBatch&) {
  std::unique_lock lock(mutex_);
  // EveryBatch: the previous result must be taken first; nothing is dropped.
  if (mode_ == Mode::EveryBatch) taken_cv_.wait(lock, [&] { return stop_ || !ready_fresh_; });
  if (stop_) return false;
  std::swap(writing_, ready_);
  ready_fresh_ = true;
  lock.unlock();
  result_cv_.notify_all();
  return true;
}

void GeneratorWorker::run_thread(std::function<std::unique_ptr<Session>()> make_session, int threads,
                                 std::promise<void> started) {
  // LibTorch's intra-op thread count is per calling thread under OpenMP: set it here.
  if (threads > 0) torch::set_num_threads(threads);
  torch::NoGradGuard no_grad;
  try {
    session_ = make_session();
  } catch (...) {
    started.set_exception(std::current_exception());
    return;
  }
  started.set_value();
  for (;;) {
    Task task;
    {
      std::unique_lock lock(mutex_);
      work_cv_.wait(lock, [&] { return stop_ || !pending_.empty() || !tasks_.empty() || !spare_.empty(); });
      if (stop_) break;
      if (!tasks_.empty()) {
        task = std::move(tasks_.front());
        tasks_.pop_front();
      } else if (!spare_.empty() && (pending_.empty() || frames_since_spare_ >= kSpareEvery)) {
        task = std::move(spare_.front());
        spare_.pop_front();
        frames_since_spare_ = 0;
      } else {
        working_ = std::move(pending_.front());  // NewestWins keeps only one pending
        pending_.pop_front();
        ++frames_since_spare_;
      }
    }
    if (task) {
      task(*session_);  // a packaged task: its exception goes to its future
      continue;
    }
    try {
      render(working_, slots_[static_cast<std::size_t>(writing_)]);  // only this thread touches the writing slot
      if (!publish(slots_[static_cast<std::size_t>(writing_)])) break;
    } catch (const std::exception& e) {
      {
        std::lock_guard lock(mutex_);
        error_ = "the generator failed: " + first_line(e);
      }
      result_cv_.notify_all();
      break;
    }
  }
  // Work queued behind a failure is dropped: each task's future then holds a broken promise
  // instead of waiting forever. The session (and the model it holds) goes on the thread that
  // used it.
  std::deque<Task> dropped, dropped_spare;
  {
    std::lock_guard lock(mutex_);
    stopped_ = true;
    dropped.swap(tasks_);
    dropped_spare.swap(spare_);
  }
  dropped.clear();
  dropped_spare.clear();
  session_.reset();
}

}  // namespace lw::stage
