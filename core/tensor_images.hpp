// Generator output tensors to host images for grids and strips, and photos to the tensors a
// model takes.
#pragma once

#include <ATen/core/Tensor.h>

#include <vector>

#include "core/image.hpp"

namespace lw {

// images [B, 3, H, W] in [-1, 1] -> B RGB8 images.
std::vector<ImageRGB8> to_images(const at::Tensor& images);
// An image -> [1, 3, height, width] in [-1, 1], resized (area averaging down, bilinear up)
// when its size differs; `resized` says whether it was.
at::Tensor image_tensor(const ImageRGB8& image, int height, int width, bool* resized = nullptr);

}  // namespace lw
