#include "core/discovery.hpp"

#include "core/base/check.hpp"

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

DirectionSearch::DirectionSearch(int dims, const DiscoverySettings& s) : s_(s) {
  LW_EXPECT(s.k >= 1 && s.k <= dims, "--k must be between 1 and " << dims << " for this space, got " << s.k);
  auto gen = at::detail::createCPUGenerator(s.seed);
  const auto g = torch::randn({s.k, dims}, gen);
  gamma_ = (g / g.norm(2, 1, true)).requires_grad_();
  opt_ = std::make_unique<torch::optim::Adam>(std::vector<at::Tensor>{gamma_}, torch::optim::AdamOptions(s.lr));
}

float DirectionSearch::step(const at::Tensor& z0, const FeatureFn& features, const StepFn& step) {
  const auto l = discovery_losses(gamma_, z0, features, step, s_);
  const auto loss = l.var + s_.zeta * l.reg;
  opt_->zero_grad();
  loss.backward();
  opt_->step();
  return l.var.item<float>();
}

at::Tensor DirectionSearch::directions() const {
  torch::NoGradGuard no_grad;
  return gamma_ / gamma_.norm(2, 1, true);
}

void DirectionSearch::save(torch::serialize::OutputArchive& archive) const {
  archive.write("gamma", gamma_.detach());
  torch::serialize::OutputArchive opt;
  opt_->save(opt);
  archive.write("gamma_optimizer", opt);
}

void DirectionSearch::load(torch::serialize::InputArchive& archive) {
  at::Tensor g;
  archive.read("gamma", g);
  LW_EXPECT(g.sizes() == gamma_.sizes(), "the checkpoint holds " << g.size(0) << " directions of " << g.size(1)
                                                                 << " dimensions, this run asks for " << gamma_.size(0)
                                                                 << " of " << gamma_.size(1));
  {
    torch::NoGradGuard no_grad;
    gamma_.copy_(g);
  }
  torch::serialize::InputArchive opt;
  archive.read("gamma_optimizer", opt);
  opt_->load(opt);
}

at::Tensor discover_directions(const FeatureFn& features, const StepFn& step, const at::Tensor& samples,
                               const DiscoverySettings& s, const std::function<void(int, float)>& progress) {
  LW_CHECK(samples.dim() == 2 && samples.size(0) > 0, "discovery needs starts [N, d]");
  DirectionSearch search(static_cast<int>(samples.size(1)), s);
  auto gen = at::detail::createCPUGenerator(s.seed + 1);
  for (int i = 0; i < s.steps; ++i) {
    const auto z0 = samples.index_select(0, torch::randint(samples.size(0), {s.batch}, gen, torch::kLong));
    const float l_var = search.step(z0, features, step);
    if (progress) progress(i + 1, l_var);
  }
  return search.directions();
}

}  // namespace lw
