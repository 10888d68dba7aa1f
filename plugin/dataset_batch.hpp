// SynthFaces renders as tensors: the bridge from the procedural dataset to training and evaluation.
#pragma once

#include <torch/types.h>

#include <cstdint>

#include "plugin/synthfaces.hpp"

namespace lw::plugin {

struct DatasetBatch {
  torch::Tensor images;   // [B, 3, R, R] float32 in [-1, 1], the generator's range
  torch::Tensor factors;  // [B, kNumFactors] ground truth, columns as synthfaces::factor_table()
};

// Samples first, first+1, ... first+count-1 of the dataset drawn with `seed`.
DatasetBatch render_batch(std::uint64_t seed, std::uint64_t first, int count, int resolution,
                          synthfaces::Draw draw = synthfaces::Draw::Dataset);

// SynthFaces renders of given factors [B, kNumFactors] (columns as factor_table(); clamped to
// their ranges, binary ones set above 0.5): [B, 3, R, R] in [-1, 1].
torch::Tensor render_factors(const torch::Tensor& factors, int resolution);

}  // namespace lw::plugin
