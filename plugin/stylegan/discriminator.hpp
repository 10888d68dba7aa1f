// latentwalk's own StyleGAN2 discriminator (NVlabs' Discriminator, used by StyleGAN2 and
// StyleGAN3 training alike: resnet, skip or orig blocks, minibatch standard deviation, epilogue)
// as TorchScript source around an imported file's `D`. It is the model's realism scorer:
// forward(image [B,3,R,R] in [-1, 1]) -> logits [B]. The minibatch standard deviation is taken
// over groups of one image, so an image's score never depends on the others in its batch (NVlabs'
// own score for a batch of one).
#pragma once

#include <torch/script.h>

#include "plugin/stylegan/module_tree.hpp"

namespace lw::plugin::stylegan {

torch::jit::Module build_discriminator(const ModuleNode& D);

}  // namespace lw::plugin::stylegan
