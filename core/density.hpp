// DP-LaSE's learned density (Eqs. 3-5): each latent dimension gets a monotone CDF model
// F_i: R -> (0, 1), a small one-hidden-layer network squashed by a sigmoid (positive weights,
// so increasing by construction, rescaled by its limits so that F' integrates to one), trained
// on samples of the space by maximum likelihood (l_lik = -mean log F'_i) with a penalty on
// slopes below a minimum v (l_mon), which keeps F' >= v where the data are. The log-density of a code is
// sum_i log F'_i(z_i): the factorised density a walk should keep constant.
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <functional>

namespace lw {

struct DensitySettings {
  int hidden = 16;            // units per dimension
  float min_slope = 1e-3f;    // v of l_mon
  float mon_weight = 10.f;    // weight of l_mon against l_lik
  int steps = 2000;
  int batch = 512;
  float lr = 1e-2f;
  std::uint64_t seed = 0;
};

class DensityModel {
 public:
  DensityModel(int dims, int hidden);
  int dims() const { return static_cast<int>(w1_.size(0)); }

  // F(z) and F'(z), both [B, d], for codes z [B, d]. F' is exact (the analytic derivative).
  at::Tensor cdf(const at::Tensor& z) const;
  at::Tensor slope(const at::Tensor& z) const;
  // sum_i log F'_i(z_i), [B].
  at::Tensor log_density(const at::Tensor& z) const;
  // Its gradient, [B, d]: d/dz_i log F'_i(z_i) by central differences of the exact slope, so it
  // stays differentiable by first-order autograd (walks that use it are trained through it).
  at::Tensor log_density_gradient(const at::Tensor& z) const;
  // The losses of Eqs. 4-5 on a batch.
  at::Tensor likelihood_loss(const at::Tensor& z) const;
  at::Tensor monotonicity_loss(const at::Tensor& z, float min_slope) const;

  std::vector<at::Tensor> parameters() const { return {w1_, b1_, w2_, b2_}; }
  // Saves/loads the weights as one tensor archive; load checks the latent size.
  void save(const std::filesystem::path& path) const;
  static DensityModel load(const std::filesystem::path& path, int expected_dims);

 private:
  at::Tensor hidden_(const at::Tensor& z) const;  // pre-activations [B, d, h]
  at::Tensor w1_, b1_, w2_, b2_;  // [d, h] raw (softplus is used), [d, h], [d, h] raw, [d]
};

// Fits F to `samples` [N, d]; returns the final loss. `progress` (may be empty) is called with
// the step number and the loss.
float train_density(DensityModel& model, const at::Tensor& samples, const DensitySettings& s,
                    const std::function<void(int, float)>& progress = {});

}  // namespace lw
