// The generator's training objectives on the attribute predictor's outputs, beyond the
// adversarial and VAE terms: moment matching of the predicted factors, and a readout of
// every factor from w. Both keep their state between steps; train_demo.cpp combines them.
#pragma once

#include "plugin/checkpoint.hpp"

#include <torch/torch.h>

#include <filesystem>
#include <memory>

namespace lw::plugin {

// Moment matching of the predicted factors (feature matching, Salimans et al. 2016, on the
// attribute predictor's outputs): their means, spreads and correlations, so the generated
// images match the real ones factor by factor and in how factors go together (independent in
// the dataset but for age with eyeglasses and beard). Without the correlations a generator
// readily ties several factors to one latent direction, and an edit of one moves the others.
// The statistics are taken over a window of about 50 batches: a batch of 16 estimates them
// with an error as large as the bias worth removing. The window carries the value and the
// batch the gradient (straight through), so the push is steady and as strong as the bias.
class RunningMoments {
 public:
  // The targets: mean [m] and covariance [m, m] of the predicted factors of real images.
  RunningMoments(torch::Tensor target_mean, torch::Tensor target_cov);
  // `v`: [B, m] predicted factor values of a generated batch. The loss: the mean squared error
  // of the means (in target standard deviations) and of the spreads (relative), plus each
  // factor's summed squared correlation errors averaged over factors.
  torch::Tensor loss(const torch::Tensor& v);

 private:
  static constexpr double kBeta = 0.98;
  torch::Tensor target_mean_, target_cov_, scale_;
  torch::Tensor mean_, cov_;  // the window; re-estimated from the first batches after a resume
};

// Every factor read along one direction of W: InterFaceGAN's premise, that an attribute is a
// half-space of the latent space, made a training objective, so a unit direction of W edits one
// factor the same way from every start. A continuous factor is an affine function of w. A
// binary factor's logit is a step plus a slope along one projection u = r.w + b, fitted as
// slope * u + jump * tanh(u): whether the image shows the attribute and how plainly then change
// along the same direction, so the most and least confident samples, which InterFaceGAN fits
// its boundary to, lie along the direction that switches the attribute. (A plain affine fit of a
// two-moded logit leaves them free to differ, and a boundary off the switching direction by a
// few degrees switches the attribute in edits that should hold it.) The readout trains beside
// the generator and is checkpointed in the work folder (readout.pt, readout_shape.pt,
// readout_opt.pt).
class DirectionReadout {
 public:
  // `binary` [factors] bool: which factors are binary (undefined: none).
  DirectionReadout(std::int64_t factors, std::int64_t w_dim, std::filesystem::path work_dir,
                   torch::Tensor binary = {});
  // Mean over factors of the residual against the factor's own spread over recent batches
  // (1 - R^2), so the generator cannot meet it by varying a factor less; for a binary factor,
  // the mean of that and of 1 - R^2 within its two classes. `w` [B, w_dim], `target`
  // [B, factors] (binary factors as logits, any scale: positive where the image shows it).
  torch::Tensor loss(const torch::Tensor& w, const torch::Tensor& target);
  void zero_grad() { opt_->zero_grad(); }
  void step() { opt_->step(); }
  void save(Checkpoint& checkpoint) const;  // its files join the checkpoint

 private:
  std::filesystem::path dir_;
  torch::Tensor readout_;  // [factors, w_dim + 1]: r, then b in the last column
  torch::Tensor shape_;    // [factors, 2]: slope and jump of the binary factors
  torch::Tensor binary_;   // [factors] bool
  std::unique_ptr<torch::optim::Adam> opt_;
  torch::Tensor spread_, within_spread_;  // over recent batches: all samples, within classes
};

}  // namespace lw::plugin
