// The generator on its own thread, so the render loop never waits for it. The loop posts the
// latents it wants next and takes the newest finished batch when it has one; results sit in a
// triple buffer (one slot being written, one ready, one being read), so neither side blocks the
// other for longer than swapping indices.
//
// Two modes. NewestWins (a window): a new request replaces one not yet started and a new result
// replaces one not yet taken. EveryBatch (headless frames, videos): requests queue (two deep, so
// the generator never idles between batches) and no result is dropped: the worker waits for
// the loop to take a result before publishing the next.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "app/render_codes.hpp"

namespace lw::app {

// One batch of latent codes: `batch` codes of `rows` x `dim` floats (rows > 1: W+).
struct LatentRequest {
  std::uint64_t id = 0;
  double t = 0.0;  // clock time the codes belong to
  int batch = 0, rows = 1, dim = 0;
  RenderSpec spec;  // how they become images
  std::vector<float> z;
};

// One finished batch: planar [batch, 3, height, width] floats in [-1, 1].
struct ImageBatch {
  std::uint64_t id = 0;
  double t = 0.0;
  int batch = 0, height = 0, width = 0;
  const float* pixels = nullptr;   // valid while `storage` is held
  bool on_device = false;          // `pixels` is GPU memory, complete (the generator ran on CUDA)
  std::shared_ptr<void> storage;   // the generator's output tensor, not copied
  float generate_ms = 0.f;
};

class GeneratorWorker {
 public:
  enum class Mode { NewestWins, EveryBatch };
  // `threads`: the generator's intra-op threads (LibTorch's pool is set from the worker thread).
  // `w_avg`: the centre of truncation (mean_w), undefined without a mapping network.
  // `device_output`: the sink reads GPU memory, so a GPU generator's images stay there;
  // otherwise they are brought to the host.
  GeneratorWorker(const Generator& generator, at::Tensor w_avg, int threads, Mode mode = Mode::NewestWins,
                  bool device_output = false);
  ~GeneratorWorker();
  GeneratorWorker(const GeneratorWorker&) = delete;
  GeneratorWorker& operator=(const GeneratorWorker&) = delete;

  // Asks for these codes next. NewestWins: replaces a request not started yet. EveryBatch:
  // queues it behind at most one other; the caller keeps at most two outstanding.
  void request(const LatentRequest& r);
  // The newest finished batch with an id above `after`, or null; never waits. The pointer stays
  // valid until the next take or wait call.
  const ImageBatch* take_newest(std::uint64_t after);
  // Like take_newest, but waits up to `timeout` for one: for headless runs, whose frames are
  // paced by new content rather than by a display.
  const ImageBatch* wait_newest(std::uint64_t after, std::chrono::milliseconds timeout);
  // Non-empty once the generator has thrown; the worker stops then.
  std::string error() const;

 private:
  void run(int threads);

  const Generator& generator_;
  const at::Tensor w_avg_;
  const Mode mode_;
  const bool device_output_;
  mutable std::mutex mutex_;
  std::condition_variable request_cv_, result_cv_, taken_cv_;
  std::array<LatentRequest, 2> pending_;  // a ring: queued requests, oldest at pending_head_
  int pending_head_ = 0, pending_count_ = 0;
  LatentRequest working_;
  bool stop_ = false;
  std::array<ImageBatch, 3> slots_;
  int writing_ = 0, ready_ = 1, reading_ = 2;
  bool ready_fresh_ = false;
  std::string error_;
  std::thread thread_;
};

}  // namespace lw::app
