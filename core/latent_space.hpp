// The model's latent spaces and what every command does in them: Z (the prior), W (the mapping
// network's output) and W+ (one W code per synthesis layer, edits moving rows [begin, end)).
// LatentSpace is how DP-LaSE's commands (discover, evaluate-directions, compare-walks) see one
// space: where starts come from, how codes become images (render_codes) and features.
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <ATen/core/Tensor.h>

#include <Eigen/Core>
#include <filesystem>
#include <string>

#include "core/space.hpp"

namespace lw {
class Generator;

// Checks that the generator has the space and that `direction` has its dimension.
void check_space(const Generator& g, Space space, const Eigen::VectorXf& direction, const LayerRange& layers);

// The latent codes of `z` in `space`: z itself, w [B, w_dim], or ws [B, num_ws, w_dim].
at::Tensor codes_in(const Generator& g, const at::Tensor& z, Space space);
// `codes` (from codes_in) moved by alpha * direction; in W+ only the rows of `layers`.
at::Tensor edited_codes(const Generator& g, const at::Tensor& codes, Space space, const at::Tensor& direction,
                        float alpha, const LayerRange& layers = {});
// Their images, through render_codes.
at::Tensor edited_images(const Generator& g, const at::Tensor& codes, Space space, const at::Tensor& direction,
                         float alpha, const LayerRange& layers = {});

at::Tensor to_tensor(const Eigen::VectorXf& v);

class LatentSpace {
 public:
  // Space Z or W of `g`; `gaussian_prior`: the model's prior is N(0, I) (its manifest says so).
  // Throws when the model has no such space.
  LatentSpace(const Generator& g, Space space, bool gaussian_prior);

  Space space() const { return space_; }
  std::string name() const { return space_name(space_); }
  int dims() const { return dims_; }
  // True in Z under a Gaussian prior, where DP-LaSE's closed forms apply.
  bool gaussian() const { return space_ == Space::Z && gaussian_prior_; }
  const Generator& generator() const { return generator_; }

  // n codes of the space, seeded: z ~ N(0, I), or mapping(z) in W. Without gradients.
  at::Tensor sample(std::int64_t n, std::uint64_t seed) const;
  at::Tensor images(const at::Tensor& codes) const;
  // The intermediate output G1 that direction discovery differentiates; checks the layer.
  at::Tensor features(const at::Tensor& codes, int layer) const;
  void check_layer(int layer) const;

 private:
  const Generator& generator_;
  Space space_;
  bool gaussian_prior_;
  int dims_;
};

// A `--directions` file: [k, d] or [1, d] float32 .npy with d the space's size; rows made unit.
at::Tensor load_directions(const std::filesystem::path& npy, const LatentSpace& space);

}  // namespace lw
