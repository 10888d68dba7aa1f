#include "plugin/training_objectives.hpp"

namespace lw::plugin {

RunningMoments::RunningMoments(torch::Tensor target_mean, torch::Tensor target_cov)
    : target_mean_(std::move(target_mean)),
      target_cov_(std::move(target_cov)),
      scale_(target_cov_.diagonal().clamp_min(1e-6).sqrt()) {}

torch::Tensor RunningMoments::loss(const torch::Tensor& v) {
  const auto mean = v.mean(0);
  const auto centred = v - mean;
  const auto cov = centred.t().mm(centred) / static_cast<double>(v.size(0) - 1);
  {
    torch::NoGradGuard ng;
    if (!mean_.defined()) {
      mean_ = mean.detach().clone();
      cov_ = cov.detach().clone();
    } else {
      mean_.lerp_(mean.detach(), 1.0 - kBeta);
      cov_.lerp_(cov.detach(), 1.0 - kBeta);
    }
  }
  const auto mean_est = mean_ + (mean - mean.detach()), cov_est = cov_ + (cov - cov.detach());
  const auto outer = scale_.unsqueeze(1) * scale_.unsqueeze(0);
  const auto off_diagonal = 1.0 - torch::eye(scale_.size(0));
  const auto spread = cov_est.diagonal() / target_cov_.diagonal().clamp_min(1e-6) - 1.0;
  // Each factor's squared correlation errors add up (then the mean over factors): one pair far
  // off, as age with eyeglasses was, is not averaged away among the many pairs that are right.
  const auto m = static_cast<double>(scale_.size(0));
  return ((mean_est - target_mean_) / scale_).pow(2).mean() + spread.pow(2).mean() +
         (((cov_est - target_cov_) / outer) * off_diagonal).pow(2).sum() / m;
}

DirectionReadout::DirectionReadout(std::int64_t factors, std::int64_t w_dim, std::filesystem::path work_dir,
                                   torch::Tensor binary)
    : dir_(std::move(work_dir)),
      readout_(torch::zeros({factors, w_dim + 1})),
      shape_(torch::tensor({1.0f, 1.0f}).repeat({factors, 1})),
      binary_(binary.defined() ? binary.to(torch::kBool) : torch::zeros({factors}, torch::kBool)) {
  namespace fs = std::filesystem;
  if (fs::exists(dir_ / "readout.pt")) torch::load(readout_, (dir_ / "readout.pt").string());
  const bool has_shape = fs::exists(dir_ / "readout_shape.pt");
  if (has_shape) torch::load(shape_, (dir_ / "readout_shape.pt").string());
  readout_.requires_grad_(true);
  shape_.requires_grad_(true);
  opt_ = std::make_unique<torch::optim::Adam>(std::vector<torch::Tensor>{readout_, shape_}, torch::optim::AdamOptions(1e-2));
  // An optimiser state saved before the shape parameters existed does not fit: start it anew.
  if (has_shape && fs::exists(dir_ / "readout_opt.pt")) torch::load(*opt_, (dir_ / "readout_opt.pt").string());
}

torch::Tensor DirectionReadout::loss(const torch::Tensor& w, const torch::Tensor& target) {
  // A binary factor's logit is positive in the images that show it: its class.
  const auto positive = (target > 0).to(torch::kFloat), negative = 1.0 - positive;
  const auto n_pos = positive.sum(0).clamp_min(1.0), n_neg = negative.sum(0).clamp_min(1.0);
  // Per factor, the mean of x over each class's samples, averaged over the two classes.
  const auto in_class_mean = [&](const torch::Tensor& x) {
    return 0.5 * ((x * positive).sum(0) / n_pos + (x * negative).sum(0) / n_neg);
  };
  {
    torch::NoGradGuard ng;
    const auto t = target.detach();
    const auto var = t.var(0).clamp_min(1e-4);
    spread_ = spread_.defined() ? spread_.lerp_(var, 0.02) : var.clone();
    const auto class_mean = positive * ((t * positive).sum(0) / n_pos) + negative * ((t * negative).sum(0) / n_neg);
    const auto within = in_class_mean((t - class_mean).pow(2)).clamp_min(1e-4);
    within_spread_ = within_spread_.defined() ? within_spread_.lerp_(within, 0.02) : within.clone();
  }
  const auto d = w.size(1);
  const auto u = torch::addmm(readout_.select(1, d), w, readout_.narrow(1, 0, d).t());
  const auto stepped = shape_.select(1, 0) * u + shape_.select(1, 1) * torch::tanh(u);
  const auto predicted = torch::where(binary_, stepped, u);
  const auto residual = (target - predicted).pow(2);
  // A binary factor's residual also counts against its spread within the classes: the jump
  // between the classes is most of the logit's spread, and against that alone a confidence
  // that follows another direction than the switch would cost next to nothing.
  const auto overall = residual.mean(0) / spread_;
  const auto within = in_class_mean(residual) / within_spread_;
  return torch::where(binary_, 0.5 * (overall + within), overall).mean();
}

void DirectionReadout::save(Checkpoint& checkpoint) const {
  checkpoint.add(dir_ / "readout.pt", [&](const std::filesystem::path& p) { torch::save(readout_, p.string()); });
  checkpoint.add(dir_ / "readout_shape.pt", [&](const std::filesystem::path& p) { torch::save(shape_, p.string()); });
  checkpoint.add(dir_ / "readout_opt.pt", [&](const std::filesystem::path& p) { torch::save(*opt_, p.string()); });
}

}  // namespace lw::plugin
