#include "core/walk_batch.hpp"

#include <torch/torch.h>

#include <cmath>
#include <numbers>

namespace lw {

at::Tensor linear_steps(const at::Tensor& z0, const at::Tensor& eps, const at::Tensor& gamma) {
  return z0 + eps.unsqueeze(1) * gamma;
}

at::Tensor gaussian_dp_steps(const at::Tensor& z0, const at::Tensor& eps, const at::Tensor& gamma) {
  const auto end = linear_steps(z0, eps, gamma);
  return end * (z0.norm(2, 1, true) / end.norm(2, 1, true).clamp_min(1e-12));
}

at::Tensor gaussian_log_density(const at::Tensor& z) {
  const double half_log_2pi = 0.5 * std::log(2.0 * std::numbers::pi);
  return -0.5 * z.pow(2).sum(1) - half_log_2pi * static_cast<double>(z.size(1));
}

}  // namespace lw
