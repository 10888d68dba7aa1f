// What the importer reports and takes about a network's sizes, without LibTorch's headers.
#pragma once

#include <array>
#include <optional>
#include <string>

namespace lw::plugin::stylegan {

struct GeneratorInfo {
  std::string architecture;  // "StyleGAN2 (skip)", "StyleGAN3-T", ...
  int z_dim = 0, w_dim = 0, num_ws = 0, resolution = 0, feature_layers = 0;
};

struct RosinalityShape {
  std::optional<int> size, style_dim, n_mlp;  // read from the weights; when given, checked against them
  double lr_mlp = 0.01;                       // rosinality's default; not stored in checkpoints
};

}  // namespace lw::plugin::stylegan
