#include "interop/cuda_devices.hpp"

#ifdef LW_HAVE_CUDA
#include <cuda_runtime.h>

#include <cstring>
#endif

namespace lw::interop {

CudaDevices list_cuda_devices() {
  CudaDevices out;
#ifdef LW_HAVE_CUDA
  int count = 0;
  const cudaError_t e = cudaGetDeviceCount(&count);
  if (e != cudaSuccess) {
    out.error = e == cudaErrorInsufficientDriver ? "no CUDA driver on this machine (or one older than this build's CUDA " +
                                                       std::to_string(CUDART_VERSION / 1000) + ")"
                : e == cudaErrorNoDevice          ? std::string("no CUDA device")
                                                  : std::string("no CUDA device (") + cudaGetErrorString(e) + ")";
    cudaGetLastError();  // clear it, so later calls start clean
    return out;
  }
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp props{};
    if (cudaGetDeviceProperties(&props, i) != cudaSuccess) continue;
    CudaDevice d;
    d.index = i;
    d.name = props.name;
    std::memcpy(d.uuid.data(), props.uuid.bytes, d.uuid.size());
    out.devices.push_back(d);
  }
  if (out.devices.empty()) out.error = "no CUDA device";
#else
  out.error = "this latentwalk was built without CUDA (no toolkit at /usr/local/cuda when it was configured)";
#endif
  return out;
}

}  // namespace lw::interop
