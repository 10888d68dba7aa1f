// latentwalk's own StyleGAN2 generator: the arithmetic of NVlabs' StyleGAN2 (mapping with its
// normalisation and w_avg, modulated/demodulated convolutions, upfirdn2d resampling with the
// [1,3,3,1] filter, bias + leaky ReLU with gain and clamp, constant noise, skip / orig / resnet
// architectures) written as TorchScript source around the weights of an imported file. It obeys
// the generator contract (DESIGN.md): forward, mapping, synthesis (W and W+), features,
// synthesis_features, w_avg.
#pragma once

#include <torch/script.h>

#include <optional>
#include <string>

#include "plugin/stylegan/module_tree.hpp"
#include "plugin/stylegan/shapes.hpp"

namespace lw::plugin::stylegan {

// `G` is an NVlabs Generator (training.networks_stylegan2 or stylegan2-ada's training.networks).
// A conditional generator (c_dim > 0) needs `class_index`, baked into the mapping.
torch::jit::Module build_stylegan2(const ModuleNode& G, std::optional<int> class_index, GeneratorInfo& info);

// The class embedding of a conditional mapping network for one class, as NVlabs computes it
// (embed, then normalised); shared by StyleGAN2 and StyleGAN3. Throws when the generator is
// conditional and no class was given, or the class is out of range.
std::optional<at::Tensor> class_embedding(const ModuleNode& G, std::optional<int> class_index);

// The sizes every NVlabs generator records: z_dim, w_dim, img_resolution, synthesis.num_ws.
GeneratorInfo generator_sizes(const ModuleNode& G);

// The mapping network's source (z -> w [B, w_dim]) for both generations.
void write_mapping(class ScriptBuilder& b, const ModuleNode& mapping, const std::optional<at::Tensor>& embedding);

}  // namespace lw::plugin::stylegan
