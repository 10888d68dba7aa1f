#include "app/tensor_images.hpp"

#include <torch/torch.h>

#include "core/base/check.hpp"

namespace lw::app {

std::vector<ImageRGB8> to_images(const at::Tensor& images) {
  LW_CHECK(images.dim() == 4 && images.size(1) == 3, "expected images [B, 3, H, W]");
  const auto cpu = images.detach().to(torch::kCPU, torch::kFloat).contiguous();
  const auto h = static_cast<int>(cpu.size(2)), w = static_cast<int>(cpu.size(3));
  const auto n = static_cast<std::size_t>(3 * h * w);
  std::vector<ImageRGB8> out;
  for (std::int64_t i = 0; i < cpu.size(0); ++i)
    out.push_back(image_from_planar({cpu[i].data_ptr<float>(), n}, w, h, -1.f, 1.f));
  return out;
}

}  // namespace lw::app
