// DP-LaSE's correction module (Eqs. 6-7): a density-preserving walk in a space with a learned
// density F is z0 + eps * gamma + C(z0, eps, gamma), where C is trained so that the log-density
// under F stays that of the start (l_den = |log p(z) - log p(z0)|), with a small size penalty so
// that the walk moves to the nearest point of its start's density level rather than back towards
// its start. (In Z the closed form is the same idea: rescale to ||z0||.)
//
// C is built around one Newton step: from the linear end z = z0 + eps gamma, along
// u = grad log p(z) / |grad log p(z)|, by (log p(z0) - log p(z)) / |grad log p(z)|, which lands
// on the start's level to first order; the network adds |eps| (s u + r), a learned refinement.
// So C(z0, 0, gamma) = 0 exactly, an untrained C is already a fair correction, and training
// converges to the level's nearest point instead of the trivial C = -eps gamma (walking back to
// the start keeps the density too).
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <torch/torch.h>

#include <filesystem>
#include <memory>

#include "core/density.hpp"

namespace lw {

struct CorrectionSettings {
  int hidden = 128;
  int steps = 2000;
  int batch = 256;
  float lr = 1e-3f;
  float max_eps = 8.f;       // strides are drawn uniformly from [-max_eps, max_eps]
  // Weight of mean |C|^2: of the points at the start's density, the nearest is the cheapest.
  float size_weight = 0.1f;
  std::uint64_t seed = 0;
};

class CorrectionModel {
 public:
  CorrectionModel(int dims, int hidden);
  int dims() const { return dims_; }

  // C(z0, eps, gamma) [B, d] under density f, for starts z0 [B, d], strides eps [B] and unit
  // directions gamma [B, d].
  at::Tensor correction(const DensityModel& f, const at::Tensor& z0, const at::Tensor& eps, const at::Tensor& gamma) const;
  // z0 + eps * gamma + C(z0, eps, gamma).
  at::Tensor walk(const DensityModel& f, const at::Tensor& z0, const at::Tensor& eps, const at::Tensor& gamma) const;
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

// One batch of walks to train C on: starts drawn from `samples` [N, d], strides uniform in
// [-max_eps, max_eps], and unit directions: rows of `directions` [k, d], except a `random_share`
// of them (all when `directions` is empty) drawn uniformly from the sphere, so that C also
// corrects walks along directions it was not trained for.
struct WalkBatch {
  at::Tensor z0, eps, gamma;
};
WalkBatch sample_walks(const at::Tensor& samples, const at::Tensor& directions, const CorrectionSettings& s,
                       at::Generator& gen, float random_share = 0.f);

// C's optimiser, one step at a time (train_correction runs it alone; `discover` interleaves it
// with the direction search and checkpoints it).
class CorrectionTraining {
 public:
  CorrectionTraining(CorrectionModel& c, const DensityModel& f, const CorrectionSettings& s);
  // One Adam step of l_den + size_weight * mean |C|^2; returns l_den.
  float step(const WalkBatch& batch);
  void save(torch::serialize::OutputArchive& archive) const;  // C's weights and the optimiser
  void load(torch::serialize::InputArchive& archive);

 private:
  CorrectionModel& c_;
  const DensityModel& f_;
  CorrectionSettings s_;
  std::unique_ptr<torch::optim::Adam> opt_;
};

// Trains C on starts drawn from `samples` [N, d], directions drawn from `directions` [k, d] (unit
// rows; empty: random unit directions) and strides from [-max_eps, max_eps]. Returns the final l_den.
float train_correction(CorrectionModel& c, const DensityModel& f, const at::Tensor& samples, const at::Tensor& directions,
                       const CorrectionSettings& s);

}  // namespace lw
