#include "app/generator_worker.hpp"

#include <torch/cuda.h>
#include <torch/torch.h>

#include "core/base/check.hpp"
#include "core/model.hpp"

namespace lw::app {

GeneratorWorker::GeneratorWorker(const Generator& generator, at::Tensor w_avg, int threads, Mode mode, bool device_output)
    : generator_(generator), w_avg_(std::move(w_avg)), mode_(mode), device_output_(device_output), thread_([this, threads] { run(threads); }) {}

GeneratorWorker::~GeneratorWorker() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  request_cv_.notify_all();
  taken_cv_.notify_all();
  thread_.join();
}

void GeneratorWorker::request(const LatentRequest& r) {
  {
    std::lock_guard lock(mutex_);
    if (mode_ == Mode::NewestWins) pending_count_ = 0;
    LW_CHECK(pending_count_ < static_cast<int>(pending_.size()), "more than two requests outstanding");
    LatentRequest& slot = pending_[static_cast<std::size_t>((pending_head_ + pending_count_) % 2)];
    slot.id = r.id;
    slot.t = r.t;
    slot.batch = r.batch;
    slot.rows = r.rows;
    slot.dim = r.dim;
    slot.spec = r.spec;
    slot.z.assign(r.z.begin(), r.z.end());  // capacity is kept: no allocation once warm
    ++pending_count_;
  }
  request_cv_.notify_one();
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

void GeneratorWorker::run(int threads) {
  // LibTorch's intra-op thread count is per calling thread under OpenMP: set it here.
  if (threads > 0) torch::set_num_threads(threads);
  torch::NoGradGuard no_grad;
  for (;;) {
    {
      std::unique_lock lock(mutex_);
      request_cv_.wait(lock, [&] { return stop_ || pending_count_ > 0; });
      if (stop_) return;
      if (mode_ == Mode::NewestWins) pending_head_ = (pending_head_ + pending_count_ - 1) % 2;  // the newest
      std::swap(pending_[static_cast<std::size_t>(pending_head_)], working_);
      pending_head_ = (pending_head_ + 1) % 2;
      pending_count_ = mode_ == Mode::NewestWins ? 0 : pending_count_ - 1;
    }
    try {
      const auto start = std::chrono::steady_clock::now();
      const auto z = working_.rows > 1 ? torch::from_blob(working_.z.data(), {working_.batch, working_.rows, working_.dim})
                                       : torch::from_blob(working_.z.data(), {working_.batch, working_.dim});
      at::Tensor generated = render_codes(generator_, z, working_.spec, w_avg_).contiguous();
      if (generated.is_cuda()) {
        // Complete (the contiguous copy included) before the sink's kernel reads it on its own stream.
        if (device_output_) torch::cuda::synchronize();
        else generated = generated.to(at::kCPU);
      }
      auto images = std::make_shared<at::Tensor>(std::move(generated));
      const float ms = std::chrono::duration<float, std::milli>(std::chrono::steady_clock::now() - start).count();
      ImageBatch& out = slots_[static_cast<std::size_t>(writing_)];  // only this thread touches the writing slot
      out.id = working_.id;
      out.t = working_.t;
      out.batch = static_cast<int>(images->size(0));
      out.height = static_cast<int>(images->size(2));
      out.width = static_cast<int>(images->size(3));
      out.pixels = images->data_ptr<float>();
      out.on_device = images->is_cuda();
      out.storage = std::move(images);
      out.generate_ms = ms;
      {
        std::unique_lock lock(mutex_);
        // EveryBatch: the previous result must be taken first; nothing is dropped.
        if (mode_ == Mode::EveryBatch) taken_cv_.wait(lock, [&] { return stop_ || !ready_fresh_; });
        if (stop_) return;
        std::swap(writing_, ready_);
        ready_fresh_ = true;
      }
      result_cv_.notify_all();
    } catch (const std::exception& e) {
      {
        std::lock_guard lock(mutex_);
        std::string what = e.what();
        if (const auto nl = what.find('\n'); nl != std::string::npos) what.resize(nl);
        error_ = "the generator failed: " + what;
      }
      result_cv_.notify_all();
      return;
    }
  }
}

}  // namespace lw::app
