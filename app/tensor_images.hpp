// Generator output tensors to host images for grids and strips.
#pragma once

#include <ATen/core/Tensor.h>

#include <vector>

#include "core/image.hpp"

namespace lw::app {

// images [B, 3, H, W] in [-1, 1] -> B RGB8 images.
std::vector<ImageRGB8> to_images(const at::Tensor& images);

}  // namespace lw::app
