#include "core/correction.hpp"

#include "core/tensor_file.hpp"
#include "core/check.hpp"

namespace lw {

CorrectionModel::CorrectionModel(int dims, int hidden) : dims_(dims), hidden_(hidden) {
  LW_CHECK(dims > 0 && hidden > 0, "a correction model needs positive sizes");
  net_ = torch::nn::Sequential(torch::nn::Linear(2 * dims + 1, hidden), torch::nn::SiLU(),
                               torch::nn::Linear(hidden, hidden), torch::nn::SiLU(), torch::nn::Linear(hidden, dims));
  // The last layer starts at zero: an untrained C leaves the walk linear.
  auto last = net_->ptr<torch::nn::LinearImpl>(4);
  torch::NoGradGuard no_grad;
  last->weight.zero_();
  last->bias.zero_();
}

at::Tensor CorrectionModel::correction(const at::Tensor& z0, const at::Tensor& eps, const at::Tensor& gamma) const {
  return net_->forward(torch::cat({z0, eps.unsqueeze(1), gamma}, 1));
}

at::Tensor CorrectionModel::walk(const at::Tensor& z0, const at::Tensor& eps, const at::Tensor& gamma) const {
  return z0 + eps.unsqueeze(1) * gamma + correction(z0, eps, gamma);
}

void CorrectionModel::save(const std::filesystem::path& path) const {
  std::vector<at::Tensor> tensors{torch::tensor({dims_, hidden_})};
  for (const auto& p : net_->parameters()) tensors.push_back(p);
  save_tensors(path, tensors);
}

CorrectionModel CorrectionModel::load(const std::filesystem::path& path, int expected_dims) {
  const auto t = load_tensors(path, "correction model");
  LW_EXPECT(!t.empty() && t[0].numel() == 2, path.string() << " is not a correction model file");
  const int dims = static_cast<int>(t[0][0].item<std::int64_t>()), hidden = static_cast<int>(t[0][1].item<std::int64_t>());
  LW_EXPECT(dims == expected_dims, path.string() << " corrects walks in " << dims << " dimensions, but the latent space has "
                                                 << expected_dims);
  CorrectionModel m(dims, hidden);
  auto params = m.net_->parameters();
  LW_EXPECT(t.size() == params.size() + 1, path.string() << " is not a correction model file");
  torch::NoGradGuard no_grad;
  for (std::size_t i = 0; i < params.size(); ++i) {
    LW_EXPECT(params[i].sizes() == t[i + 1].sizes(), path.string() << " is not a correction model file");
    params[i].copy_(t[i + 1]);
  }
  return m;
}

at::Tensor density_change(const CorrectionModel& c, const DensityModel& f, const at::Tensor& z0, const at::Tensor& eps,
                          const at::Tensor& gamma) {
  return (f.log_density(c.walk(z0, eps, gamma)) - f.log_density(z0)).abs().mean();
}

float train_correction(CorrectionModel& c, const DensityModel& f, const at::Tensor& samples, const at::Tensor& directions,
                       const CorrectionSettings& s) {
  LW_CHECK(samples.dim() == 2 && samples.size(1) == c.dims(), "samples must be [N, " << c.dims() << "]");
  auto gen = at::detail::createCPUGenerator(s.seed);
  torch::optim::Adam opt(c.parameters(), torch::optim::AdamOptions(s.lr));
  const auto n = samples.size(0);
  float last = 0.f;
  for (int step = 0; step < s.steps; ++step) {
    const auto z0 = samples.index_select(0, torch::randint(n, {s.batch}, gen, torch::kLong));
    at::Tensor gamma;
    if (directions.defined() && directions.numel() > 0)
      gamma = directions.index_select(0, torch::randint(directions.size(0), {s.batch}, gen, torch::kLong));
    else
      gamma = torch::randn({s.batch, c.dims()}, gen);
    gamma = gamma / gamma.norm(2, 1, true);
    const auto eps = (torch::rand({s.batch}, gen) * 2 - 1) * s.max_eps;
    const auto l_den = density_change(c, f, z0, eps, gamma);
    const auto size = c.correction(z0, eps, gamma).pow(2).sum(1).mean();
    const auto loss = l_den + s.size_weight * size;
    opt.zero_grad();
    loss.backward();
    opt.step();
    last = l_den.item<float>();
  }
  return last;
}

}  // namespace lw
