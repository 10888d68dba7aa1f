// Inversion: the code in W or W+ whose image is a target, found by Adam through the generator
// (NVlabs' projector schedule: a start, a learning rate ramped up then down along a cosine, and
// noise on the code that decays to nothing over the first three quarters; the noise here is a
// vector 5% of W's spread long, not 5% per component). The loss is the pixels' L2 and L1,
// multi-scale SSIM, optionally the distance of the discriminator's features (each position's
// channel vector at unit length, as LPIPS does), and priors that keep the code
// editable: the learned density of W for every row, and in W+ each row pulled toward the rows'
// mean. Many targets are projected at once, each on its own.
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <ATen/core/Tensor.h>

#include <functional>
#include <vector>

#include "core/space.hpp"

namespace lw {

class Generator;
class Discriminator;
class DensityModel;

struct ProjectorSettings {
  Space space = Space::W;          // W or WPlus
  int steps = 300;
  double learning_rate = 0.1;      // the peak of the schedule
  double rampup = 0.05, rampdown = 0.25;  // fractions of the steps
  double noise = 0.05;             // code noise at the start, in units of W's spread
  double noise_ramp = 0.75;        // fraction of the steps over which it decays
  double l2 = 1.0, l1 = 1.0, ssim = 1.0;  // pixel loss weights (images in [-1, 1])
  double perceptual = 0.0;         // the discriminator's features (needs one that has them)
  std::vector<int> feature_layers{1, 2};
  double density = 0.0;            // -log density of W per row (needs the learned density)
  double row_pull = 0.0;           // W+: each row's squared distance to the rows' mean
  std::uint64_t seed = 0;          // of the code noise
  // TorchScript's graph optimiser while projecting: off unless asked (it re-specialises the
  // networks' graphs for gradients, which costs more than it saves over a few hundred steps).
  bool graph_optimizer = false;
};

struct Projection {
  at::Tensor codes;  // [B, w_dim] (W) or [B, num_ws, w_dim] (W+)
  at::Tensor images; // [B, 3, H, W] in [-1, 1], the codes' images
  std::vector<double> psnr, ssim;  // per target, of the final images (dB; 0..1)
  struct Stage {
    int step = 0;
    double loss = 0.0, pixel = 0.0, ssim = 0.0, perceptual = 0.0, prior = 0.0;
  };
  std::vector<Stage> stages;  // the loss's parts every tenth of the run, and at the end
  double seconds = 0.0;
};

// W's mean and its spread (the root mean squared distance to the mean) from `samples` mapped codes.
struct WStatistics {
  at::Tensor mean;  // [w_dim]
  double spread = 1.0;
};
WStatistics w_statistics(const Generator& g, int samples, std::uint64_t seed);

// Projects `targets` [B, 3, H, W] in [-1, 1] from `start` ([B, w_dim]: each target's first code,
// e.g. W's mean or an encoder's guess; W+ starts with it in every row). `critic`, `density`:
// may be null when their weights are 0. `progress(step, loss)` every step.
Projection project(const Generator& g, const at::Tensor& targets, const at::Tensor& start, const WStatistics& w,
                   const ProjectorSettings& settings, const Discriminator* critic = nullptr,
                   const DensityModel* density = nullptr, const std::function<void(int, double)>& progress = {});

// SSIM of images in [-1, 1] ([B] of [B, 3, H, W] pairs), Gaussian window of 11 (sigma 1.5), and
// its multi-scale form (the mean over the full size and halvings down to 16 pixels). Differentiable.
at::Tensor ssim(const at::Tensor& a, const at::Tensor& b);
at::Tensor multiscale_ssim(const at::Tensor& a, const at::Tensor& b);
// PSNR in dB of images in [-1, 1] as 8-bit pictures would have it, per pair [B].
at::Tensor psnr(const at::Tensor& a, const at::Tensor& b);

}  // namespace lw
