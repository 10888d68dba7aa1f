// A plain view of a generator's output batch: what the interop layer takes instead of a tensor,
// so no torch type crosses into interop/ or renderer/.
#pragma once

#include <cstdint>

namespace lw::interop {

struct ImageView {
  const float* data = nullptr;  // planar [batch, 3, height, width], C order
  int batch = 0;
  int height = 0;
  int width = 0;
  float lo = -1.f;  // the value that maps to 0
  float hi = 1.f;   // the value that maps to 255
  bool on_device = false;  // `data` is CUDA device memory (a generator run on the GPU)
  // on_device: a cudaEvent_t recorded after the generator's work; the hand-off's stream waits
  // for it before reading. Null: `data` is complete already. The caller keeps `data` alive
  // until the frame that reads it has finished (its fence).
  const void* ready_event = nullptr;

  std::int64_t plane() const { return static_cast<std::int64_t>(height) * width; }
  const float* image(int b) const { return data + static_cast<std::int64_t>(b) * 3 * plane(); }
};

}  // namespace lw::interop
