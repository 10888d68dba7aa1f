// Which hand-off a render loop uses, decided at run time: the CUDA path when a CUDA device is
// the Vulkan device's GPU (same UUID) and the device shares memory and timeline semaphores,
// otherwise the host staging path; always with the reason, for the panel and `view --json`.
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "interop/cuda_devices.hpp"
#include "interop/frame_sink.hpp"
#include "interop/vk_resources.hpp"

namespace lw::interop {

enum class SinkPreference { Auto, Host, Cuda };  // Cuda: fail rather than fall back

struct SinkRequest {
  VulkanDevice device;
  std::uint32_t queue_family = 0;  // the queue the frames' uploads run on
  Uuid vulkan_uuid{};
  std::string vulkan_name;
  std::string interop_unsupported;  // empty when the device was created sharing memory and semaphores
  int frames_in_flight = 2;
  SinkPreference preference = SinkPreference::Auto;
};

struct SinkChoice {
  std::unique_ptr<FrameSink> sink;
  std::string reason;
  int cuda_device = -1;  // the CUDA device the sink shares memory with; -1: host staging
};

// Throws only for SinkPreference::Cuda when the CUDA path cannot run, saying why.
SinkChoice choose_sink(const SinkRequest& request);

// The UUID of the first CUDA device, for the Vulkan device choice: none without CUDA.
std::optional<Uuid> cuda_device_uuid();

}  // namespace lw::interop
