#include "core/discovery.hpp"

#include "core/check.hpp"

namespace lw {

DiscoveryLosses discovery_losses(const at::Tensor& gamma_raw, const at::Tensor& z0, const FeatureFn& features,
                                 const StepFn& step, const DiscoverySettings& s) {
  const auto k = gamma_raw.size(0), b = z0.size(0);
  const auto gamma = gamma_raw / gamma_raw.norm(2, 1, true);
  const auto base = features(z0).reshape({b, -1});
  // Every start walked along every direction: [k * b] walks in one batch.
  const auto starts = z0.repeat({k, 1});
  const auto dirs = gamma.repeat_interleave(b, 0);
  const auto eps = torch::full({k * b}, s.eps);
  const auto change = (features(step(starts, eps, dirs)).reshape({k * b, -1}) - base.repeat({k, 1})).reshape({k, b, -1});
  const auto magnitude = change.pow(2).sum(2).mean();  // mean squared feature change
  // Decorrelation: cosine between the changes that two directions cause at the same start.
  const auto unit = change / change.norm(2, 2, true).clamp_min(1e-8);
  const auto cos = torch::einsum("ibf,jbf->ijb", {unit, unit}).pow(2).mean(2);
  const auto off = (cos.sum() - cos.diagonal().sum()) / std::max<std::int64_t>(1, k * (k - 1));
  DiscoveryLosses out;
  out.var = -magnitude / (base.pow(2).sum(1).mean() + 1e-8) + s.lambda * off;
  out.reg = (gamma.matmul(gamma.t()) - torch::eye(k)).pow(2).sum();
  return out;
}

at::Tensor discover_directions(const FeatureFn& features, const StepFn& step, const at::Tensor& samples,
                               const DiscoverySettings& s, const std::function<void(int, float)>& progress) {
  LW_CHECK(samples.dim() == 2 && samples.size(0) > 0, "discovery needs starts [N, d]");
  LW_EXPECT(s.k >= 1 && s.k <= samples.size(1), "--k must be 1.." << samples.size(1) << " for this space");
  auto gen = at::detail::createCPUGenerator(s.seed);
  auto gamma = torch::randn({s.k, samples.size(1)}, gen);
  gamma = (gamma / gamma.norm(2, 1, true)).requires_grad_();
  torch::optim::Adam opt({gamma}, torch::optim::AdamOptions(s.lr));
  for (int i = 0; i < s.steps; ++i) {
    const auto z0 = samples.index_select(0, torch::randint(samples.size(0), {s.batch}, gen, torch::kLong));
    const auto l = discovery_losses(gamma, z0, features, step, s);
    const auto loss = l.var + s.zeta * l.reg;
    opt.zero_grad();
    loss.backward();
    opt.step();
    if (progress) progress(i + 1, l.var.item<float>());
  }
  torch::NoGradGuard no_grad;
  return gamma / gamma.norm(2, 1, true);
}

}  // namespace lw
