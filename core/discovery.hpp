// DP-LaSE's unsupervised direction discovery (Eqs. 8-11): k directions Gamma (rows, unit length)
// learned so that walking along each changes an intermediate layer's features G1(z) as much as
// possible (l_var), the changes caused by different directions are decorrelated (weight lambda),
// and the directions stay orthogonal (l_reg, weight zeta). Walks take the density-preserving
// step given by `step` (the closed form in Z, z0 + eps gamma + C in a learned space).
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <torch/torch.h>

#include <functional>
#include <memory>

namespace lw {

struct DiscoverySettings {
  int k = 8;
  int steps = 500;
  int batch = 32;
  float eps = 3.f;        // stride of the walks whose feature change is measured
  float lambda = 1.f;     // decorrelation weight of l_var
  float zeta = 10.f;      // orthogonality weight (l_reg)
  float lr = 1e-2f;
  std::uint64_t seed = 0;
};

// features(z [B, d]) -> G1(z) [B, ...], differentiable in z.
using FeatureFn = std::function<at::Tensor(const at::Tensor&)>;
// step(z0 [B, d], eps [B], gamma [B, d]) -> the walk's end [B, d], differentiable in gamma.
using StepFn = std::function<at::Tensor(const at::Tensor&, const at::Tensor&, const at::Tensor&)>;

// The losses of one batch: l_var (to minimise: minus the mean feature change plus lambda times
// the mean squared cosine between different directions' changes) and l_reg.
struct DiscoveryLosses {
  at::Tensor var, reg;
};
DiscoveryLosses discovery_losses(const at::Tensor& gamma, const at::Tensor& z0, const FeatureFn& features,
                                 const StepFn& step, const DiscoverySettings& s);

// The directions being learned and their optimiser, one step at a time, so that `discover` can
// interleave them with the correction module's training and checkpoint both.
class DirectionSearch {
 public:
  DirectionSearch(int dims, const DiscoverySettings& s);  // k random unit directions from s.seed
  // One Adam step of l_var + zeta l_reg on the starts z0 [B, d]; returns l_var.
  float step(const at::Tensor& z0, const FeatureFn& features, const StepFn& step);
  at::Tensor directions() const;  // [k, d], unit rows, detached
  // The raw directions and the optimiser's moments, so a resumed run continues exactly.
  void save(torch::serialize::OutputArchive& archive) const;
  void load(torch::serialize::InputArchive& archive);

 private:
  DiscoverySettings s_;
  at::Tensor gamma_;
  std::unique_ptr<torch::optim::Adam> opt_;
};

// Learns k directions [k, d] (unit rows) from starts drawn from `samples` [N, d]. `progress` is
// called with the step number and the current l_var (may be empty).
at::Tensor discover_directions(const FeatureFn& features, const StepFn& step, const at::Tensor& samples,
                               const DiscoverySettings& s, const std::function<void(int, float)>& progress = {});

}  // namespace lw
