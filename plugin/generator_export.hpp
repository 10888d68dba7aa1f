// Turns a trained generator checkpoint into the generator a model folder ships: its weights
// copied into the current architecture (make_generator), and W whitened over the prior.
#pragma once

#include <torch/script.h>

#include <cstdint>

#include "plugin/default_networks.hpp"

namespace lw::plugin {

// Whitens W in place: over `samples` codes of the prior, the mapping's raw outputs get mean 0
// and identity covariance (ZCA: w = Sigma^-1/2 (w_raw - mean)); synthesis applies the inverse
// first, so every image is unchanged. w_avg becomes the mean of the whitened codes (zero).
// The generator must be at identity whitening (fresh from make_generator or a checkpoint).
void standardize_w(torch::jit::Module& generator, std::int64_t samples = 50000, std::uint64_t seed = 20261122);

// A fresh make_generator(shape) holding every parameter and buffer of `trained` (a checkpoint
// of this or an earlier version of the architecture), then standardize_w. Throws naming the
// first tensor that is missing from the checkpoint or has another shape.
torch::jit::Module export_generator(const torch::jit::Module& trained, const GeneratorShape& shape);

}  // namespace lw::plugin
