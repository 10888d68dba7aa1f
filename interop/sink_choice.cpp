#include "interop/sink_choice.hpp"

#include <algorithm>

#include "core/base/check.hpp"
#include "interop/host_staging_sink.hpp"
#ifdef LW_HAVE_CUDA
#include "interop/cuda_shared_sink.hpp"
#endif

namespace lw::interop {

SinkChoice choose_sink(const SinkRequest& r) {
  auto host = [&](const std::string& why) {
    LW_EXPECT(r.preference != SinkPreference::Cuda, "the CUDA hand-off cannot run here: " << why);
    return SinkChoice{std::make_unique<HostStagingSink>(r.device, r.frames_in_flight), why + ", so frames go through host memory"};
  };
  if (r.preference == SinkPreference::Host) return {std::make_unique<HostStagingSink>(r.device, r.frames_in_flight), "host staging was asked for"};
  const CudaDevices cuda = list_cuda_devices();
  if (cuda.devices.empty()) return host(cuda.error);
  const auto same = std::find_if(cuda.devices.begin(), cuda.devices.end(), [&](const CudaDevice& d) { return d.uuid == r.vulkan_uuid; });
  if (same == cuda.devices.end())
    return host("no CUDA device is the Vulkan device " + r.vulkan_name + " (CUDA has " + cuda.devices.front().name +
                (cuda.devices.size() > 1 ? " and others" : "") + ")");
  if (!r.interop_unsupported.empty()) return host(r.interop_unsupported);
#ifdef LW_HAVE_CUDA
  try {
    auto sink = std::make_unique<CudaSharedSink>(r.device, r.queue_family, same->index, r.frames_in_flight);
    return {std::move(sink),
            "CUDA device " + std::to_string(same->index) + " (" + same->name + ") is the Vulkan device: frames stay in GPU memory",
            same->index};
  } catch (const std::exception& e) {
    return host(std::string("the CUDA hand-off failed to start: ") + e.what());
  }
#else
  return host("this latentwalk was built without CUDA");
#endif
}

std::optional<Uuid> cuda_device_uuid() {
  const CudaDevices cuda = list_cuda_devices();
  if (cuda.devices.empty()) return std::nullopt;
  return cuda.devices.front().uuid;
}

}  // namespace lw::interop
