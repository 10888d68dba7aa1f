// The CUDA devices the interop path can use, by UUID (the Vulkan device that is the same GPU has
// the same one). Answers without throwing on every machine: without a driver, a GPU or a build
// with the toolkit, the list is empty and `error` says which.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace lw::interop {

using Uuid = std::array<std::uint8_t, 16>;

struct CudaDevice {
  int index = 0;
  std::string name;
  Uuid uuid{};
};

struct CudaDevices {
  std::vector<CudaDevice> devices;
  std::string error;  // why there are none
};

CudaDevices list_cuda_devices();

}  // namespace lw::interop
