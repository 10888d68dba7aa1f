// The features whose change DP-LaSE's l_var measures: the generator's intermediate output at one
// layer, as the paper has it, or at several layers side by side; optionally each channel
// standardised by its mean and spread over sample codes, so that neither a channel nor a layer
// outweighs the others by the scale of its activations alone (a setting the paper leaves open).
#pragma once

#include <string>
#include <vector>

#include "core/discovery.hpp"
#include "core/latent_space.hpp"

namespace lw {

// "2" or "1,3": the layers, each checked against the space's model; at least one, none twice.
std::vector<int> parse_feature_layers(const std::string& text, const LatentSpace& space);

// [B, F]: the layers' features flattened and concatenated. With `normalise`, each channel's mean
// and standard deviation come from the first 256 of `samples` (codes of the space), once.
// `space` must outlive the function.
FeatureFn discovery_features(const LatentSpace& space, const std::vector<int>& layers, bool normalise,
                             const at::Tensor& samples);

}  // namespace lw
