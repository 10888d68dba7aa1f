// latentwalk bench: the hand-off of a generator image to a sampled Vulkan image, per path and
// size, timed from the sink's write until the image is ready to sample; how many copies went
// through host memory (counted by the sink as it makes them); and the generator's own time
// beside it. Headless, so it runs wherever Vulkan does (lavapipe included).
#include <torch/cuda.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <functional>
#include <cstdlib>
#include <iomanip>
#include <iostream>
#include <map>
#include <optional>
#include <nlohmann/json.hpp>

#include "app/commands.hpp"
#include "app/model_location.hpp"
#include "core/base/check.hpp"
#include "core/base/progress.hpp"
#include "interop/sink_choice.hpp"
#include "plugin/torchscript_model.hpp"
#include "renderer/context.hpp"
#include "renderer/handoff_probe.hpp"

namespace lw::app {
namespace {

using Clock = std::chrono::steady_clock;

nlohmann::json percentiles(std::vector<double> ms) {
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[static_cast<std::size_t>(q * static_cast<double>(ms.size() - 1) + 0.5)]; };
  return {{"p50", at(0.5)}, {"p99", at(0.99)}};
}

// A planar float image in [-1, 1] with structure in every channel.
std::vector<float> test_image(int size) {
  std::vector<float> v(3 * static_cast<std::size_t>(size) * size);
  for (int c = 0; c < 3; ++c)
    for (int y = 0; y < size; ++y)
      for (int x = 0; x < size; ++x)
        v[(static_cast<std::size_t>(c) * size + y) * size + x] = static_cast<float>((x * (c + 1) + y * 7) % 256) / 127.5f - 1.f;
  return v;
}

// Each write timed until its image can be sampled, after 5 untimed; with the copies through host
// memory the sink counted.
nlohmann::json time_writes(const renderer::Context& context, interop::FrameSink& sink, const interop::ImageView& view,
                           std::int64_t frames, const std::function<void()>& tick) {
  renderer::HandoffProbe probe(context, sink);
  std::vector<double> ms;
  int copies = 0;
  std::uint64_t host_bytes = 0;
  for (std::int64_t i = 0; i < frames + 5; ++i) {
    const auto start = Clock::now();
    sink.write(view, 0);
    probe.upload(0, false);
    if (i >= 5) ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
    copies = std::max(copies, sink.host_copies_last_write());
    host_bytes = std::max(host_bytes, sink.host_bytes_last_write());
    tick();
  }
  return {{"handoff_ms", percentiles(ms)}, {"host_copies_per_frame", copies}, {"host_bytes_per_frame", host_bytes}};
}

// Progress over every timed write: one tick per write, whole runs skipped at once.
struct Tally {
  ProgressBar* bar;
  std::int64_t done;
  std::int64_t writes_per_run;  // frames + the untimed ones
  void tick() {
    if (bar) bar->update(++done);
  }
  void skip(std::int64_t runs) {
    done += runs * writes_per_run;
    if (bar) bar->update(done);
  }
};

// One size on one sink: from host memory, and from GPU memory where the sink is CUDA's and
// LibTorch has CUDA. Appends the figures to `sizes_out`; the largest size's p50 to `p50s`.
void bench_size(const renderer::Context& context, interop::SinkChoice& chosen, const std::string& sink_name, int size,
                bool largest, bool from_gpu_too, Tally& tally, nlohmann::json& sizes_out, std::map<std::string, double>& p50s) {
  interop::FrameSink& sink = *chosen.sink;
  const auto image = test_image(size);
  const interop::ImageView view{image.data(), 1, size, size, -1.f, 1.f};
  const std::int64_t frames = tally.writes_per_run - 5;
  auto timed = time_writes(context, sink, view, frames, [&] { tally.tick(); });
  timed["size"] = size;
  timed["source"] = "host memory";
  if (largest) p50s[sink_name + " host"] = timed["handoff_ms"]["p50"];
  sizes_out.push_back(timed);
  if (!from_gpu_too) return;
  const auto on_gpu = torch::from_blob(const_cast<float*>(image.data()), {1, 3, size, size})
                          .to(torch::Device(torch::kCUDA, static_cast<c10::DeviceIndex>(chosen.cuda_device)));
  torch::cuda::synchronize();  // complete before the first write: no ready event to wait for
  interop::ImageView device_view = view;
  device_view.data = on_gpu.data_ptr<float>();
  device_view.on_device = true;
  auto gpu = time_writes(context, sink, device_view, frames, [&] { tally.tick(); });
  gpu["size"] = size;
  gpu["source"] = "GPU memory";
  if (largest) p50s[sink_name + " GPU"] = gpu["handoff_ms"]["p50"];
  sizes_out.push_back(gpu);
}

// Every size on one path, or why the path is not there.
nlohmann::json bench_sink(const renderer::Context& context, interop::SinkPreference preference, const std::vector<int>& sizes,
                          bool torch_cuda, Tally& tally, std::map<std::string, double>& p50s) {
  const bool cuda = preference == interop::SinkPreference::Cuda;
  const int runs_per_size = cuda && torch_cuda ? 2 : 1;
  nlohmann::json entry{{"sink", cuda ? "cuda-shared" : "host-staging"}};
  interop::SinkChoice chosen;
  try {
    // One slot: each hand-off is timed to completion before the next.
    chosen = interop::choose_sink(renderer::sink_request(context, 1, preference));
  } catch (const Error& e) {
    tally.skip(static_cast<std::int64_t>(sizes.size()) * runs_per_size);
    return {{"sink", entry["sink"]}, {"available", false}, {"reason", e.what()}};
  }
  entry.update({{"available", true}, {"reason", chosen.reason}, {"sizes", nlohmann::json::array()}});
  for (const int size : sizes) {
    std::shared_ptr<void> retired;
    try {
      retired = chosen.sink->configure(1, size, size);
    } catch (const Error& e) {  // the path exists but cannot hold this size: said, not fatal
      entry["sizes"].push_back({{"size", size}, {"error", e.what()}});
      tally.skip(runs_per_size);
      continue;
    }
    bench_size(context, chosen, entry["sink"], size, size == sizes.back(), runs_per_size == 2, tally, entry["sizes"], p50s);
  }
  return entry;
}

// The generator alone, one image at a time, as the viewer's tiles ask for it; on a GPU each
// image is waited for, so the time is the generator's and not the launch queue's.
nlohmann::json time_generator(const std::string& model_dir, const std::string& device, bool half) {
  auto model = plugin::load_model(model_dir);
  auto& g = *model.generator;
  use_all_cores_for_torch();
  const bool on_gpu = device == "cuda" || (device == "auto" && torch::cuda::is_available());
  if (on_gpu) g.to_device(c10::Device(c10::kCUDA, 0));
  if (half) {
    LW_EXPECT(on_gpu, "--half needs the generator on a GPU (half-precision convolutions are slow or missing on a CPU)");
    LW_EXPECT(g.set_low_precision(true, c10::ScalarType::Half), "--half: this model has no half-precision layers");
  }
  torch::NoGradGuard no_grad;
  const auto z = torch::randn({1, g.latent_dim()}, at::detail::createCPUGenerator(0)).to(g.device());
  std::vector<double> ms;
  for (int i = 0; i < 55; ++i) {
    const auto start = Clock::now();
    (void)g.generate(z);
    if (on_gpu) torch::cuda::synchronize();
    if (i >= 5) ms.push_back(std::chrono::duration<double, std::milli>(Clock::now() - start).count());
  }
  return {{"model", model.manifest.name}, {"resolution", {g.height(), g.width()}},
          {"device", on_gpu ? "cuda" : "cpu"}, {"threads", torch::get_num_threads()},
          {"precision", half ? "fp16 where NVlabs uses it" : "fp32"}, {"batch", 1}, {"ms", percentiles(ms)}};
}

void print_report(const nlohmann::json& report) {
  std::cout << "hand-off on " << report["device"].get<std::string>() << " (write until sampleable, ms)\n";
  for (const auto& s : report["sinks"]) {
    std::cout << "  " << s["sink"].get<std::string>() << ": ";
    if (!s["available"].get<bool>()) {
      std::cout << "not available: " << s["reason"].get<std::string>() << "\n";
      continue;
    }
    std::cout << s["reason"].get<std::string>() << "\n";
    for (const auto& z : s["sizes"]) {
      if (z.contains("error")) {
        std::cout << "    " << z["size"].get<int>() << ": " << z["error"].get<std::string>() << "\n";
        continue;
      }
      std::cout << "    " << std::setw(10) << (std::to_string(z["size"].get<int>()) + "x" + std::to_string(z["size"].get<int>()))
                << "  p50 " << std::fixed << std::setprecision(3) << z["handoff_ms"]["p50"].get<double>() << "  p99 "
                << z["handoff_ms"]["p99"].get<double>() << "  host copies/frame " << z["host_copies_per_frame"].get<int>()
                << "  from " << z["source"].get<std::string>() << "\n";
    }
  }
  const auto& gen = report["generator"];
  std::cout << "  generator " << gen["model"].get<std::string>() << " (" << gen["resolution"][0].get<int>() << "x"
            << gen["resolution"][1].get<int>() << ", " << gen["device"].get<std::string>() << ", batch 1): p50 "
            << gen["ms"]["p50"].get<double>() << " ms per image\n";
}

}  // namespace

int cmd_bench(const std::vector<std::string>& argv) {
  Args a("bench",
         "Times the hand-off of a generator image to a Vulkan image on each path this machine has\n"
         "(host staging always; CUDA shared memory where a CUDA device is the Vulkan GPU): p50 and\n"
         "p99 from the sink's write until the image can be sampled, at each size, with the copies\n"
         "through host memory counted; and the model's generator timed alone beside it.");
  a.flag("model", "DIR", "model whose generator is timed beside the hand-off", default_model_folder().string())
      .flag("sizes", "LIST", "square image sizes", "256,512,1024")
      .flag("frames", "N", "hand-offs timed per size (after 5 untimed)", "100")
      .flag("device", "auto|cpu|cuda", "where the generator is timed: auto is the GPU when this LibTorch has CUDA", "auto")
      .flag("half", "", "run the layers NVlabs runs in fp16 in half precision (an imported StyleGAN2 on a GPU)")
      .flag("json", "", "print the results as JSON");
  if (!a.parse(argv)) return 0;
  LW_EXPECT(a.choice("device", {"auto", "cpu", "cuda"}) != "cuda" || torch::cuda::is_available(),
            "--device cuda: this LibTorch has no CUDA device (Debian's is built for the CPU only)");
  const auto listed = parse_list<int>(a.str("sizes"));
  LW_EXPECT(listed && !listed->empty(), "--sizes expects a comma list of sizes, such as 256,512,1024");
  const std::vector<int> sizes = *listed;
  for (const int v : sizes) LW_EXPECT(v >= 8 && v <= 4096, "--sizes: each size must be between 8 and 4096, got " << v);
  const auto frames = a.integer_in("frames", 1, 100000);

  setenv("LP_NUM_THREADS", "0", 0);  // as the viewer: lavapipe rasterises on its queue's thread
  renderer::ContextOptions copts;
  copts.preferred_uuid = interop::cuda_device_uuid();
  renderer::Context context(copts);

  nlohmann::json report;
  report["device"] = context.device_info().name;
  report["sinks"] = nlohmann::json::array();
  // With a CUDA LibTorch the CUDA path is timed twice: from host memory (the same image the host
  // path gets) and from GPU memory, the viewer's own path when the generator runs on the GPU.
  const bool torch_cuda = torch::cuda::is_available();
  std::optional<ProgressBar> bar;
  if (!a.on("json"))
    bar.emplace("bench", static_cast<std::int64_t>((torch_cuda ? 3 : 2) * sizes.size()) * (frames + 5), "hand-off");
  Tally tally{bar ? &*bar : nullptr, 0, frames + 5};
  std::map<std::string, double> p50_at_largest;  // by sink and source
  for (const auto preference : {interop::SinkPreference::Host, interop::SinkPreference::Cuda})
    report["sinks"].push_back(bench_sink(context, preference, sizes, torch_cuda, tally, p50_at_largest));
  if (bar) bar->finish();
  report["generator"] = time_generator(a.str("model"), a.choice("device", {"auto", "cpu", "cuda"}), a.on("half"));
  // Both from the same host image; and the viewer's CUDA path from GPU memory against host staging
  // from host memory (which leaves out the copy off the GPU that host staging would need there).
  const std::string largest = std::to_string(sizes.back());
  if (p50_at_largest.count("host-staging host") && p50_at_largest.count("cuda-shared host"))
    report["cuda_speedup_at_" + largest] = p50_at_largest["host-staging host"] / p50_at_largest["cuda-shared host"];
  if (p50_at_largest.count("host-staging host") && p50_at_largest.count("cuda-shared GPU"))
    report["cuda_speedup_from_gpu_memory_at_" + largest] = p50_at_largest["host-staging host"] / p50_at_largest["cuda-shared GPU"];
  if (a.on("json"))
    std::cout << report.dump() << "\n";
  else
    print_report(report);
  return 0;
}

}  // namespace lw::app
