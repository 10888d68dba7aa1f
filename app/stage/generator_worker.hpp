// The model thread. The render thread posts frames as (id, walk time, scene version, parameter
// values); the worker computes every tile's code from the session's scene (mappings and learned
// corrections included), runs the generator and publishes the batch with what the frame must
// wait on. Everything else that touches the model (building scenes, opening models, the compare
// plots, timing the generator) runs here too, as tasks, so one module never runs two things at
// once and the render thread makes no LibTorch call.
//
// Results sit in a triple buffer (one slot being written, one ready, one being read), so neither
// side blocks the other for longer than swapping indices. Two modes. NewestWins (a window): a new
// frame replaces one not yet started and a new result replaces one not yet taken. EveryBatch
// (headless frames, videos): frames queue (up to kQueue, so the generator never idles between
// batches) and no result is dropped: the worker waits for the render thread to take a result
// before publishing the next.
#pragma once

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace lw::stage {

class Session;

struct FrameRequest {
  std::uint64_t id = 0;
  double clock_time = 0.0, walk_time = 0.0;
  std::uint64_t version = 0;   // the scene the values belong to
  std::vector<double> values;  // the parameter registry's values for this frame
};

// One finished batch: planar [batch, 3, height, width] floats in [-1, 1].
struct ImageBatch {
  std::uint64_t id = 0, version = 0;
  double clock_time = 0.0;
  bool stale = false;  // asked of a scene that is gone: no images, skip it
  int batch = 0, height = 0, width = 0;
  const float* pixels = nullptr;      // valid while `storage` is held
  bool on_device = false;             // `pixels` is GPU memory
  std::shared_ptr<void> storage;      // the generator's output tensor, not copied
  std::shared_ptr<void> ready_event;  // on_device: a CUDA event the sink's stream waits for
  float generate_ms = 0.f;            // codes and generator
  float eps = 0.f, plot_phase = 0.f;  // the panel's readouts for this frame
};

class GeneratorWorker {
 public:
  enum class Mode { NewestWins, EveryBatch };
  static constexpr int kQueue = 3;
  // `make_session` runs first, on the worker thread (so even loading the model happens off the
  // render thread); its error, if any, is thrown from the constructor. `threads`: LibTorch's
  // intra-op threads. `device_output`: the sink reads GPU memory, so a GPU generator's images
  // stay there; otherwise they come to the host.
  GeneratorWorker(std::function<std::unique_ptr<Session>()> make_session, int threads, Mode mode, bool device_output,
                  int cuda_device);
  ~GeneratorWorker();
  GeneratorWorker(const GeneratorWorker&) = delete;
  GeneratorWorker& operator=(const GeneratorWorker&) = delete;

  // Asks for a frame. NewestWins: replaces a frame not started yet. EveryBatch: queues it; the
  // caller keeps at most kQueue outstanding.
  void request(FrameRequest r);
  // Drops the frames not started yet.
  void cancel_queued();
  // The newest finished batch with an id above `after`, or null; never waits. Valid until the
  // next take or wait call.
  const ImageBatch* take_newest(std::uint64_t after);
  // Like take_newest, but waits up to `timeout` for one (content-paced frames).
  const ImageBatch* wait_newest(std::uint64_t after, std::chrono::milliseconds timeout);
  // Non-empty once the generator has thrown; the worker stops then.
  std::string error() const;

  // Runs `task(session)` on the model thread before the next frame; the future holds its result.
  template <typename F>
  auto run(F task) {
    return submit(std::move(task), false);
  }
  // The same, but in the worker's spare time: when no frame waits, or after kSpareEvery frames
  // have gone before it (the compare plots).
  template <typename F>
  auto run_spare(F task) {
    return submit(std::move(task), true);
  }
  static constexpr int kSpareEvery = 8;

 private:
  using Task = std::function<void(Session&)>;
  template <typename F>
  auto submit(F task, bool spare) -> std::future<decltype(task(std::declval<Session&>()))> {
    using R = decltype(task(std::declval<Session&>()));
    auto job = std::make_shared<std::packaged_task<R(Session&)>>(std::move(task));
    auto future = job->get_future();
    enqueue([job](Session& s) { (*job)(s); }, spare);
    return future;
  }
  void enqueue(Task task, bool spare);
  void run_thread(std::function<std::unique_ptr<Session>()> make_session, int threads, std::promise<void> started);
  void render(FrameRequest& r, ImageBatch& out);
  bool publish(ImageBatch& out);

  const Mode mode_;
  const bool device_output_;
  const int cuda_device_;
  std::unique_ptr<Session> session_;
  mutable std::mutex mutex_;
  std::condition_variable work_cv_, result_cv_, taken_cv_;
  std::deque<FrameRequest> pending_;
  std::deque<Task> tasks_, spare_;
  int frames_since_spare_ = 0;
  FrameRequest working_;
  std::vector<float> codes_;
  bool stop_ = false, stopped_ = false;
  std::array<ImageBatch, 3> slots_;
  int writing_ = 0, ready_ = 1, reading_ = 2;
  bool ready_fresh_ = false;
  std::string error_;
  std::thread thread_;
};

}  // namespace lw::stage
