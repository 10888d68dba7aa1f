#include "core/discovery_features.hpp"

#include <torch/torch.h>

#include <algorithm>
#include <sstream>

#include "core/base/check.hpp"

namespace lw {

std::vector<int> parse_feature_layers(const std::string& text, const LatentSpace& space) {
  std::vector<int> layers;
  std::stringstream in(text);
  std::string item;
  const bool digits_and_commas = !text.empty() && text.back() != ',' &&
                                 text.find_first_not_of("0123456789,") == std::string::npos;
  LW_EXPECT(digits_and_commas, "--layer takes a layer or a list such as 1,3, got '" << text << "'");
  while (std::getline(in, item, ',')) {
    LW_EXPECT(!item.empty() && item.size() <= 3, "--layer takes a layer or a list such as 1,3, got '" << text << "'");
    const int layer = std::stoi(item);
    space.check_layer(layer);
    LW_EXPECT(std::find(layers.begin(), layers.end(), layer) == layers.end(), "--layer names layer " << layer << " twice");
    layers.push_back(layer);
  }
  LW_EXPECT(!layers.empty(), "--layer takes a layer or a list such as 1,3, got '" << text << "'");
  return layers;
}

namespace {

struct ChannelScale {
  at::Tensor mean, spread;  // shaped to broadcast over [B, C, ...]
};

ChannelScale channel_scale(const LatentSpace& space, int layer, const at::Tensor& samples) {
  torch::NoGradGuard no_grad;
  const auto f = space.features(samples.slice(0, 0, std::min<std::int64_t>(256, samples.size(0))), layer);
  std::vector<std::int64_t> over;  // every dimension but the channel's
  for (std::int64_t d = 0; d < f.dim(); ++d)
    if (d != 1) over.push_back(d);
  return {f.mean(over, true), f.std(over, true, true).clamp_min(1e-6)};
}

}  // namespace

FeatureFn discovery_features(const LatentSpace& space, const std::vector<int>& layers, bool normalise,
                             const at::Tensor& samples) {
  std::vector<ChannelScale> scales;
  if (normalise)
    for (const int layer : layers) scales.push_back(channel_scale(space, layer, samples));
  return [&space, layers, scales](const at::Tensor& codes) {
    std::vector<at::Tensor> parts;
    for (std::size_t i = 0; i < layers.size(); ++i) {
      auto f = space.features(codes, layers[i]);
      if (!scales.empty()) f = (f - scales[i].mean) / scales[i].spread;
      parts.push_back(f.reshape({codes.size(0), -1}));
    }
    return parts.size() == 1 ? parts.front() : torch::cat(parts, 1);
  };
}

}  // namespace lw
