#include "interop/cuda_ready_event.hpp"

#ifdef LW_HAVE_CUDA
#include <cuda_runtime.h>
#endif

#include "core/base/check.hpp"

namespace lw::interop {

std::shared_ptr<void> record_ready_event(int cuda_device) {
#ifdef LW_HAVE_CUDA
  auto check = [](cudaError_t e, const char* what) { LW_EXPECT(e == cudaSuccess, what << " failed: " << cudaGetErrorString(e)); };
  check(cudaSetDevice(cuda_device), "cudaSetDevice");
  cudaEvent_t event = nullptr;
  check(cudaEventCreateWithFlags(&event, cudaEventDisableTiming), "cudaEventCreate");
  std::shared_ptr<void> owned(event, [](void* e) { cudaEventDestroy(static_cast<cudaEvent_t>(e)); });
  // Stream 0: the legacy default stream LibTorch runs on unless told otherwise.
  check(cudaEventRecord(event, nullptr), "cudaEventRecord");
  return owned;
#else
  (void)cuda_device;
  return nullptr;
#endif
}

}  // namespace lw::interop
