// The direction a default walk follows: a given [1, d] .npy, or the direction in Z along which
// the model's predictor says an attribute grows (least squares of its score on sampled codes),
// or a seeded random one when the model has no predictor.
#pragma once

#include <filesystem>
#include <optional>
#include <string>

#include "core/walk.hpp"

namespace lw {
class Generator;
class AttributePredictor;

struct WalkDirection {
  Latent direction;  // unit length
  std::string described;
};

WalkDirection load_walk_direction(const std::filesystem::path& npy, int latent_dim);
// `column`: the attribute's column of the predictor's scores, -1 (or no predictor): a seeded
// random direction.
WalkDirection attribute_direction(const Generator& g, const AttributePredictor* predictor, int column,
                                  const std::string& attribute, int samples = 2000);

}  // namespace lw
