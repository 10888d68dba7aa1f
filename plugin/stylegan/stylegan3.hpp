// latentwalk's own StyleGAN3 generator (T and R): NVlabs' arithmetic (Fourier-feature input with
// its learned rotation and translation and a user transform, modulated convolutions with input
// magnitude normalisation, filtered leaky ReLU: bias, upsample, lrelu, clamp, downsample, with
// separable Kaiser filters or R's radial ones) as TorchScript source around an imported file's
// weights. Besides the contract's methods, synthesis_transformed(w, m [3, 3]) draws with an
// input transform (NVlabs' synthesis.input.transform: the image rotated and moved) given per
// call, and set_input_transform(m) changes the model's own (not while another thread renders).
#pragma once

#include <torch/script.h>

#include <optional>

#include "plugin/stylegan/module_tree.hpp"
#include "plugin/stylegan/stylegan2.hpp"

namespace lw::plugin::stylegan {

torch::jit::Module build_stylegan3(const ModuleNode& G, std::optional<int> class_index, GeneratorInfo& info);

}  // namespace lw::plugin::stylegan
