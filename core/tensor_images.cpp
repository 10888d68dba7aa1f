#include "core/tensor_images.hpp"

#include <torch/torch.h>

#include "core/base/check.hpp"

namespace lw {

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

at::Tensor image_tensor(const ImageRGB8& image, int height, int width, bool* resized) {
  LW_EXPECT(image.width > 0 && image.height > 0, "an empty image");
  auto t = torch::from_blob(const_cast<std::uint8_t*>(image.pixels.data()), {image.height, image.width, 3}, torch::kUInt8)
               .permute({2, 0, 1})
               .to(torch::kFloat)
               .unsqueeze(0) /
           127.5 -
           1.0;
  const bool differs = image.height != height || image.width != width;
  if (resized) *resized = differs;
  if (!differs) return t.contiguous();
  namespace F = torch::nn::functional;
  const bool down = image.height >= height && image.width >= width;
  auto options = F::InterpolateFuncOptions().size(std::vector<std::int64_t>{height, width});
  options = down ? options.mode(torch::kArea) : options.mode(torch::kBilinear).align_corners(false);
  return F::interpolate(t, options).clamp(-1, 1).contiguous();
}

}  // namespace lw
