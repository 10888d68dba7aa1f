#include "core/correction.hpp"

#include "core/tensor_file.hpp"
#include "core/base/check.hpp"

namespace lw {

CorrectionModel::CorrectionModel(int dims, int hidden) : dims_(dims), hidden_(hidden) {
  LW_CHECK(dims > 0 && hidden > 0, "a correction model needs positive sizes");
  net_ = torch::nn::Sequential(torch::nn::Linear(2 * dims + 1, hidden), torch::nn::SiLU(),
                               torch::nn::Linear(hidden, hidden), torch::nn::SiLU(), torch::nn::Linear(hidden, dims + 1));
  // The last layer starts at zero: an untrained C is the Newton step alone.
  auto last = net_->ptr<torch::nn::LinearImpl>(4);
  torch::NoGradGuard no_grad;
  last->weight.zero_();
  last->bias.zero_();
}

at::Tensor CorrectionModel::correction(const DensityModel& f, const at::Tensor& z0, const at::Tensor& eps,
                                      const at::Tensor& gamma) const {
  const auto e = eps.unsqueeze(1);
  const auto linear = z0 + e * gamma;
  const auto grad = f.log_density_gradient(linear);
  const auto norm = grad.norm(2, 1, true).clamp_min(1e-8);
  const auto u = grad / norm;
  const auto newton = (f.log_density(z0) - f.log_density(linear)).unsqueeze(1) / norm;
  const auto out = net_->forward(torch::cat({z0, e, gamma}, 1));
  return newton * u + e.abs() * (out.slice(1, 0, 1) * u + out.slice(1, 1));
}

at::Tensor CorrectionModel::walk(const DensityModel& f, const at::Tensor& z0, const at::Tensor& eps,
                                 const at::Tensor& gamma) const {
  return z0 + eps.unsqueeze(1) * gamma + correction(f, z0, eps, gamma);
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
  return (f.log_density(c.walk(f, z0, eps, gamma)) - f.log_density(z0)).abs().mean();
}

WalkBatch sample_walks(const at::Tensor& samples, const at::Tensor& directions, const CorrectionSettings& s,
                       at::Generator& gen, float random_share) {
  const auto d = samples.size(1);
  WalkBatch b;
  b.z0 = samples.index_select(0, torch::randint(samples.size(0), {s.batch}, gen, torch::kLong));
  auto gamma = torch::randn({s.batch, d}, gen);
  if (directions.defined() && directions.numel() > 0) {
    LW_CHECK(directions.dim() == 2 && directions.size(1) == d, "directions must be [k, " << d << "]");
    const auto chosen = directions.index_select(0, torch::randint(directions.size(0), {s.batch}, gen, torch::kLong));
    const auto keep = (torch::rand({s.batch, 1}, gen) >= random_share);
    gamma = torch::where(keep, chosen, gamma);
  }
  b.gamma = gamma / gamma.norm(2, 1, true);
  b.eps = (torch::rand({s.batch}, gen) * 2 - 1) * s.max_eps;
  return b;
}

CorrectionTraining::CorrectionTraining(CorrectionModel& c, const DensityModel& f, const CorrectionSettings& s)
    : c_(c), f_(f), s_(s),
      opt_(std::make_unique<torch::optim::Adam>(c.parameters(), torch::optim::AdamOptions(s.lr))) {}

float CorrectionTraining::step(const WalkBatch& b) {
  const auto l_den = density_change(c_, f_, b.z0, b.eps, b.gamma);
  const auto size = c_.correction(f_, b.z0, b.eps, b.gamma).pow(2).sum(1).mean();
  const auto loss = l_den + s_.size_weight * size;
  opt_->zero_grad();
  loss.backward();
  opt_->step();
  return l_den.item<float>();
}

void CorrectionTraining::save(torch::serialize::OutputArchive& archive) const {
  const auto params = c_.parameters();
  for (std::size_t i = 0; i < params.size(); ++i) archive.write("c" + std::to_string(i), params[i].detach());
  torch::serialize::OutputArchive opt;
  opt_->save(opt);
  archive.write("correction_optimizer", opt);
}

void CorrectionTraining::load(torch::serialize::InputArchive& archive) {
  auto params = c_.parameters();
  for (std::size_t i = 0; i < params.size(); ++i) {
    at::Tensor t;
    archive.read("c" + std::to_string(i), t);
    LW_EXPECT(t.sizes() == params[i].sizes(), "the checkpoint's correction module has another shape than this run's");
    torch::NoGradGuard no_grad;
    params[i].copy_(t);
  }
  torch::serialize::InputArchive opt;
  archive.read("correction_optimizer", opt);
  opt_->load(opt);
}

float train_correction(CorrectionModel& c, const DensityModel& f, const at::Tensor& samples, const at::Tensor& directions,
                       const CorrectionSettings& s) {
  LW_CHECK(samples.dim() == 2 && samples.size(1) == c.dims(), "samples must be [N, " << c.dims() << "]");
  at::Generator gen = at::detail::createCPUGenerator(s.seed);
  CorrectionTraining training(c, f, s);
  float last = 0.f;
  for (int step = 0; step < s.steps; ++step) last = training.step(sample_walks(samples, directions, s, gen));
  return last;
}

}  // namespace lw
