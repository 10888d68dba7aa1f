// The attribute predictor's scores as factor values that can be compared and averaged: binary
// attributes as probabilities (their logits saturate, so a logit change says little about the
// image), continuous ones in their own units.
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>

namespace lw::plugin {
struct Model;
}

namespace lw::app {

// scores [B, m] from the model's predictor -> factor values [B, m].
at::Tensor factor_values(const plugin::Model& model, const at::Tensor& scores);
// Predicts and converts; throws when the model has no predictor.
at::Tensor predict_factors(const plugin::Model& model, const at::Tensor& images);
// SynthFaces ground truth [B, kNumFactors] (synthfaces::factor_table() order) in the predictor's
// column order, to set beside predict_factors; throws naming an attribute that is no SynthFaces
// factor (`who`: the command measuring).
at::Tensor truth_as_predicted(const plugin::Model& model, const at::Tensor& truth, const std::string& who);

}  // namespace lw::app
