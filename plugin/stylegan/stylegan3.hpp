// latentwalk's own StyleGAN3 generator (T and R): NVlabs' arithmetic (Fourier-feature input with
// its learned rotation and translation and a user transform, modulated convolutions with input
// magnitude normalisation, filtered leaky ReLU: upsample, bias, lrelu, clamp, downsample, with
// separable Kaiser filters or R's radial ones) as TorchScript source around an imported file's
// weights. Besides the contract's methods, set_input_transform(m [3, 3]) rotates and translates
// the image (NVlabs' synthesis.input.transform).
#pragma once

#include <torch/script.h>

#include <optional>

#include "plugin/stylegan/module_tree.hpp"
#include "plugin/stylegan/stylegan2.hpp"

namespace lw::plugin::stylegan {

// NVlabs' make_transform(translate, angle) of gen_images.py, inverted: what
// synthesis.input.transform holds for an image rotated by `degrees` and moved by (tx, ty).
// [3, 3] float32.
at::Tensor input_transform(float degrees, float tx, float ty);

torch::jit::Module build_stylegan3(const ModuleNode& G, std::optional<int> class_index, GeneratorInfo& info);

}  // namespace lw::plugin::stylegan
