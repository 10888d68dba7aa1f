// The walks of core/walk.hpp on batches of codes as tensors, differentiable, for the methods that
// train through them (direction discovery) or measure them on many starts (compare-walks), and
// the exact log-density of the Gaussian prior they are judged by in Z.
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <ATen/core/Tensor.h>

namespace lw {

// z0 [B, d] + eps [B] * gamma [B, d].
at::Tensor linear_steps(const at::Tensor& z0, const at::Tensor& eps, const at::Tensor& gamma);
// The linear step rescaled to ||z0|| (DP-LaSE Eq. 2): the closed form for a Gaussian prior.
at::Tensor gaussian_dp_steps(const at::Tensor& z0, const at::Tensor& eps, const at::Tensor& gamma);
// log N(z; 0, I) per row, [B].
at::Tensor gaussian_log_density(const at::Tensor& z);

}  // namespace lw
