#include "core/density.hpp"

#include "core/tensor_file.hpp"
#include "core/base/check.hpp"

namespace lw {

DensityModel::DensityModel(int dims, int hidden) {
  LW_CHECK(dims > 0 && hidden > 0, "a density model needs positive sizes");
  // w1_ and w2_ hold raw weights; the network uses softplus of them, so every weight is positive
  // and F is increasing by construction (l_mon then only keeps the slope above v). Hidden units
  // start spread over [-3, 3].
  w1_ = torch::full({dims, hidden}, 0.5413f).requires_grad_();  // softplus(0.5413) = 1
  b1_ = torch::linspace(-3.f, 3.f, hidden).repeat({dims, 1}).contiguous().requires_grad_();
  w2_ = torch::full({dims, hidden}, -2.f).requires_grad_();
  b2_ = torch::zeros({dims}).requires_grad_();
}

at::Tensor DensityModel::hidden_(const at::Tensor& z) const { return z.unsqueeze(2) * torch::softplus(w1_) + b1_; }

namespace {
// The raw network's limits at -inf and +inf per dimension: every tanh saturates to -/+1.
std::pair<at::Tensor, at::Tensor> limits(const at::Tensor& w2, const at::Tensor& b2) {
  const auto reach = torch::softplus(w2).sum(1);
  return {torch::sigmoid(b2 - reach), torch::sigmoid(b2 + reach)};
}
}  // namespace

// The raw network G = sigmoid(sum w2 tanh(w1 z + b1) + b2) is rescaled by its limits, so that
// F = (G - G(-inf)) / (G(+inf) - G(-inf)) is a CDF and F' a density that integrates to one.
at::Tensor DensityModel::cdf(const at::Tensor& z) const {
  const auto [lo, hi] = limits(w2_, b2_);
  const auto g = torch::sigmoid((torch::tanh(hidden_(z)) * torch::softplus(w2_)).sum(2) + b2_);
  return (g - lo) / (hi - lo).clamp_min(1e-6);
}

at::Tensor DensityModel::slope(const at::Tensor& z) const {
  const auto [lo, hi] = limits(w2_, b2_);
  const auto h = torch::tanh(hidden_(z));
  const auto w2 = torch::softplus(w2_);
  const auto g = torch::sigmoid((h * w2).sum(2) + b2_);
  // dG/dz = G (1 - G) sum w2 w1 (1 - tanh^2)
  return g * (1 - g) * (w2 * torch::softplus(w1_) * (1 - h * h)).sum(2) / (hi - lo).clamp_min(1e-6);
}

at::Tensor DensityModel::log_density(const at::Tensor& z) const {
  return torch::log(slope(z).clamp_min(1e-12)).sum(1);
}

at::Tensor DensityModel::log_density_gradient(const at::Tensor& z) const {
  constexpr float h = 1e-2f;
  return (torch::log(slope(z + h).clamp_min(1e-12)) - torch::log(slope(z - h).clamp_min(1e-12))) / (2 * h);
}

at::Tensor DensityModel::likelihood_loss(const at::Tensor& z) const {
  return -torch::log(slope(z).clamp_min(1e-12)).mean();
}

at::Tensor DensityModel::monotonicity_loss(const at::Tensor& z, float min_slope) const {
  return torch::relu(min_slope - slope(z)).mean();
}

void DensityModel::save(const std::filesystem::path& path) const {
  save_tensors(path, {w1_, b1_, w2_, b2_});
}

DensityModel DensityModel::load(const std::filesystem::path& path, int expected_dims) {
  const auto t = load_tensors(path, "density model");
  LW_EXPECT(t.size() == 4 && t[0].dim() == 2 && t[0].sizes() == t[1].sizes() && t[0].sizes() == t[2].sizes() &&
                t[3].dim() == 1 && t[3].size(0) == t[0].size(0),
            path.string() << " is not a density model file");
  LW_EXPECT(t[0].size(0) == expected_dims, path.string() << " models " << t[0].size(0)
                                                         << " dimensions, but the latent space has " << expected_dims);
  DensityModel m(static_cast<int>(t[0].size(0)), static_cast<int>(t[0].size(1)));
  m.w1_ = t[0].clone().requires_grad_();
  m.b1_ = t[1].clone().requires_grad_();
  m.w2_ = t[2].clone().requires_grad_();
  m.b2_ = t[3].clone().requires_grad_();
  return m;
}

float train_density(DensityModel& model, const at::Tensor& samples, const DensitySettings& s,
                    const std::function<void(int, float)>& progress) {
  LW_CHECK(samples.dim() == 2 && samples.size(1) == model.dims(), "samples must be [N, " << model.dims() << "]");
  auto gen = at::detail::createCPUGenerator(s.seed);
  torch::optim::Adam opt(model.parameters(), torch::optim::AdamOptions(s.lr));
  const auto n = samples.size(0);
  float last = 0.f;
  for (int step = 0; step < s.steps; ++step) {
    const auto idx = torch::randint(n, {std::min<std::int64_t>(s.batch, n)}, gen, torch::kLong);
    const auto z = samples.index_select(0, idx);
    // l_mon on the batch and on points spread over the batch's range, so F rises between modes too.
    const auto lo = std::get<0>(z.min(0)), hi = std::get<0>(z.max(0));
    const auto grid = lo + (hi - lo) * torch::rand({64, model.dims()}, gen);
    const auto loss = model.likelihood_loss(z) +
                      s.mon_weight * (model.monotonicity_loss(z, s.min_slope) + model.monotonicity_loss(grid, s.min_slope));
    opt.zero_grad();
    loss.backward();
    opt.step();
    last = loss.item<float>();
    if (progress) progress(step + 1, last);
  }
  return last;
}

}  // namespace lw
