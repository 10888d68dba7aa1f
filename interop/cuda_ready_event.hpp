// What a frame waits on before the CUDA hand-off reads a GPU generator's batch: a CUDA event
// recorded after the work queued so far on LibTorch's stream (the device's default stream, the
// one the generator runs on). The sink's stream waits for it (cudaStreamWaitEvent): no
// device-wide or stream synchronisation in the frame loop.
#pragma once

#include <memory>

namespace lw::interop {

// An event recorded now on `cuda_device`'s default stream, destroyed with the last owner; null
// in a build without CUDA. Throws naming the CUDA error.
std::shared_ptr<void> record_ready_event(int cuda_device);

}  // namespace lw::interop
