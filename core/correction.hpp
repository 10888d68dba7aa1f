// DP-LaSE's correction module (Eqs. 6-7): a density-preserving walk in a space with a learned
// density is z0 + eps * gamma + C(z0, eps, gamma), where the network C is trained so that the
// log-density under F stays that of the start (l_den = |log p(z) - log p(z0)|), with a small
// size penalty so that the correction is no larger than the density needs: the walk moves to
// the nearest point of its density shell rather than back towards its start. (In Z the closed
// form is the same idea: rescale to ||z0||.)
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <torch/torch.h>

#include <filesystem>

#include "core/density.hpp"

namespace lw {

struct CorrectionSettings {
  int hidden = 128;
  int steps = 2000;
  int batch = 256;
  float lr = 1e-3f;
  float max_eps = 8.f;       // strides are drawn uniformly from [-max_eps, max_eps]
  float size_weight = 1e-3f; // weight of mean |C|^2
  std::uint64_t seed = 0;
};

class CorrectionModel {
 public:
  CorrectionModel(int dims, int hidden);
  int dims() const { return dims_; }

  // C(z0, eps, gamma) [B, d] for starts z0 [B, d], strides eps [B] and unit directions gamma [B, d].
  at::Tensor correction(const at::Tensor& z0, const at::Tensor& eps, const at::Tensor& gamma) const;
  // z0 + eps * gamma + C(z0, eps, gamma).
  at::Tensor walk(const at::Tensor& z0, const at::Tensor& eps, const at::Tensor& gamma) const;
  std::vector<at::Tensor> parameters() const { return net_->parameters(); }

  void save(const std::filesystem::path& path) const;
  static CorrectionModel load(const std::filesystem::path& path, int expected_dims);

 private:
  int dims_, hidden_;
  mutable torch::nn::Sequential net_;  // forward() is not const in LibTorch
};

// l_den (Eq. 7) on a batch: mean |log p(walk) - log p(z0)| under F.
at::Tensor density_change(const CorrectionModel& c, const DensityModel& f, const at::Tensor& z0, const at::Tensor& eps,
                          const at::Tensor& gamma);

// Trains C on starts drawn from `samples` [N, d], directions drawn from `directions` [k, d] (unit
// rows; empty: random unit directions) and strides from [-max_eps, max_eps]. Returns the final l_den.
float train_correction(CorrectionModel& c, const DensityModel& f, const at::Tensor& samples, const at::Tensor& directions,
                       const CorrectionSettings& s);

}  // namespace lw
