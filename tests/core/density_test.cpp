#include <gtest/gtest.h>

#include <torch/torch.h>

#include <cmath>

#include "core/base/check.hpp"
#include "core/density.hpp"
#include "core/walk_batch.hpp"

namespace lw {
namespace {

double normal_cdf(double x, double mu, double sd) { return 0.5 * std::erfc(-(x - mu) / (sd * std::sqrt(2.0))); }

// 0.4 N(-2, 0.5) + 0.6 N(1.5, 0.8): two modes with a low-density gap between them.
double mixture_cdf(double x) { return 0.4 * normal_cdf(x, -2.0, 0.5) + 0.6 * normal_cdf(x, 1.5, 0.8); }

at::Tensor mixture_samples(int n, std::uint64_t seed) {
  auto gen = at::detail::createCPUGenerator(seed);
  const auto pick = torch::rand({n, 1}, gen) < 0.4;
  const auto a = torch::randn({n, 1}, gen) * 0.5 - 2.0;
  const auto b = torch::randn({n, 1}, gen) * 0.8 + 1.5;
  return torch::where(pick, a, b);
}

TEST(Density, RecoversATwoComponentMixtureWithinKs003) {
  torch::manual_seed(1);
  DensityModel f(1, 16);
  DensitySettings s;
  s.steps = 1500;
  s.seed = 2;
  train_density(f, mixture_samples(20000, 3), s);
  torch::NoGradGuard no_grad;
  const auto grid = torch::linspace(-4.5, 4.5, 901).unsqueeze(1);
  const auto learned = f.cdf(grid);
  double ks = 0.0;
  for (int i = 0; i < 901; ++i)
    ks = std::max(ks, std::abs(learned[i][0].item<double>() - mixture_cdf(grid[i][0].item<double>())));
  EXPECT_LE(ks, 0.03);
  // l_mon: the slope stays at or above v across the data's range, the gap between modes included.
  const auto inner = torch::linspace(-3.0, 3.5, 651).unsqueeze(1);
  EXPECT_GE(f.slope(inner).min().item<float>(), 0.8f * s.min_slope);
}

TEST(Density, RanksGaussianCodesLikeTheExactLogDensity) {
  torch::manual_seed(4);
  const int d = 64;
  DensityModel f(d, 16);
  DensitySettings s;
  s.steps = 800;
  train_density(f, torch::randn({50000, d}, at::detail::createCPUGenerator(5)), s);
  torch::NoGradGuard no_grad;
  const auto z = torch::randn({10000, d}, at::detail::createCPUGenerator(6));
  const auto learned = f.log_density(z);
  const auto exact = -0.5 * (z * z).sum(1);
  // Spearman: Pearson of the ranks.
  auto ranks = [](const at::Tensor& v) { return v.argsort().argsort().to(torch::kDouble); };
  const auto a = ranks(learned), b = ranks(exact);
  const auto ac = a - a.mean(), bc = b - b.mean();
  const double spearman = (ac * bc).sum().item<double>() / std::sqrt((ac * ac).sum().item<double>() * (bc * bc).sum().item<double>());
  EXPECT_GE(spearman, 0.99);
}

TEST(Density, SavesAndLoadsAndRejectsAnotherLatentSize) {
  DensityModel f(3, 4);
  const auto path = std::filesystem::temp_directory_path() / "lw_density_test.pt";
  f.save(path);
  torch::NoGradGuard no_grad;
  const auto z = torch::randn({5, 3});
  EXPECT_TRUE(torch::allclose(DensityModel::load(path, 3).log_density(z), f.log_density(z)));
  EXPECT_THROW(DensityModel::load(path, 4), Error);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace lw

#include "core/correction.hpp"

namespace lw {
namespace {

TEST(Correction, TrainedWalksKeepTheDensityAndMoveLikeTheClosedForm) {
  torch::manual_seed(7);
  const int d = 16;
  const auto samples = torch::randn({20000, d}, at::detail::createCPUGenerator(8));
  DensityModel f(d, 16);
  DensitySettings ds;
  ds.steps = 600;
  train_density(f, samples, ds);
  for (auto& p : f.parameters()) p.requires_grad_(false);
  CorrectionModel c(d, 64);
  // A fixed problem: the same starts, strides and directions before and after.
  auto gen = at::detail::createCPUGenerator(9);
  const auto z0 = torch::randn({512, d}, gen);
  auto gamma = torch::randn({512, d}, gen);
  gamma = gamma / gamma.norm(2, 1, true);
  const auto eps = (torch::rand({512}, gen) * 2 - 1) * 4;
  CorrectionSettings cs;
  cs.steps = 800;
  cs.max_eps = 4.f;
  train_correction(c, f, samples, {}, cs);
  torch::NoGradGuard no_grad;
  const float linear = (f.log_density(linear_steps(z0, eps, gamma)) - f.log_density(z0)).abs().mean().item<float>();
  const float corrected = density_change(c, f, z0, eps, gamma).item<float>();
  EXPECT_LT(corrected, 0.1f * linear) << "linear " << linear << ", corrected " << corrected;
  // The samples are Gaussian, so the walk should go where the closed form goes: to the nearest
  // point of the start's shell, not back towards the start.
  const auto moved = c.walk(f, z0, eps, gamma) - z0;
  const auto ideal = gaussian_dp_steps(z0, eps, gamma) - z0;
  EXPECT_GT(moved.norm(2, 1).mean().item<float>(), 0.85f * ideal.norm(2, 1).mean().item<float>());
  EXPECT_GT(torch::cosine_similarity(moved, ideal, 1).mean().item<float>(), 0.95f);
  // Save, load, and refuse another latent size.
  const auto path = std::filesystem::temp_directory_path() / "lw_correction_test.pt";
  c.save(path);
  EXPECT_TRUE(torch::allclose(CorrectionModel::load(path, d).walk(f, z0, eps, gamma), c.walk(f, z0, eps, gamma)));
  EXPECT_THROW(CorrectionModel::load(path, d + 1), Error);
  std::filesystem::remove(path);
}

}  // namespace
}  // namespace lw

#include "core/discovery.hpp"

namespace lw {
namespace {

TEST(Discovery, RecoversPlantedOrthogonalFeatureDirections) {
  torch::manual_seed(12);
  const int d = 16, k = 3;
  // A synthetic "generator": its features respond to three planted orthonormal directions only,
  // with different strengths, through a nonlinearity.
  const auto planted = std::get<0>(torch::linalg_qr(torch::randn({d, k}, at::detail::createCPUGenerator(13)))).t();  // [k, d]
  const auto strength = torch::tensor({3.f, 2.f, 1.4f});
  const FeatureFn features = [&](const at::Tensor& z) {
    return torch::tanh(0.3 * z.matmul(planted.t()) * strength);
  };
  const StepFn linear = [](const at::Tensor& z0, const at::Tensor& eps, const at::Tensor& g) {
    return z0 + eps.unsqueeze(1) * g;
  };
  DiscoverySettings s;
  s.k = k;
  s.steps = 1500;
  s.batch = 64;
  s.eps = 2.f;
  s.lambda = 5.f;
  const auto found = discover_directions(features, linear, torch::randn({4000, d}, at::detail::createCPUGenerator(14)), s);
  ASSERT_EQ(found.sizes(), (std::vector<std::int64_t>{k, d}));
  // Each planted direction is matched by a found one.
  const auto cos = found.matmul(planted.t()).abs();  // [found, planted]
  for (int j = 0; j < k; ++j) EXPECT_GE(std::get<0>(cos.select(1, j).max(0)).item<float>(), 0.95f) << "planted " << j;
  EXPECT_TRUE(torch::allclose(found.matmul(found.t()), torch::eye(k), 0.0, 0.05));
}

}  // namespace
}  // namespace lw

namespace lw {
namespace {

TEST(Correction, LeavesAWalkThatHasNotMovedAtItsStart) {
  torch::manual_seed(3);
  DensityModel f(8, 4);
  CorrectionModel c(8, 16);
  // Weights that are anything but zero: C(z0, 0, gamma) must vanish by construction, not by training.
  {
    torch::NoGradGuard no_grad;
    for (auto& p : c.parameters()) p.normal_();
  }
  const auto z0 = torch::randn({5, 8});
  auto gamma = torch::randn({5, 8});
  gamma = gamma / gamma.norm(2, 1, true);
  torch::NoGradGuard no_grad;
  EXPECT_TRUE(torch::equal(c.walk(f, z0, torch::zeros({5}), gamma), z0));
  EXPECT_GT((c.walk(f, z0, torch::full({5}, 2.f), gamma) - (z0 + 2 * gamma)).abs().max().item<float>(), 1e-3f);
}

TEST(Correction, SampledWalksMixGivenAndRandomUnitDirections) {
  const auto samples = torch::randn({100, 6});
  const auto given = torch::eye(6).slice(0, 0, 2);  // two axis directions
  CorrectionSettings s;
  s.batch = 4000;
  s.max_eps = 5.f;
  at::Generator gen = at::detail::createCPUGenerator(4);
  const auto b = sample_walks(samples, given, s, gen, 0.25f);
  EXPECT_TRUE(torch::allclose(b.gamma.norm(2, 1), torch::ones({s.batch}), 1e-5, 1e-5));
  EXPECT_LE(b.eps.abs().max().item<float>(), 5.f);
  // A row is "given" when it is one of the axis directions exactly.
  const auto is_given = (std::get<0>(b.gamma.matmul(given.t()).abs().max(1)) > 1 - 1e-6f).to(torch::kFloat).mean().item<float>();
  EXPECT_NEAR(is_given, 0.75f, 0.03f);
}

TEST(Discovery, ASearchResumedFromItsSavedStateContinuesExactly) {
  const int d = 6;
  const FeatureFn features = [](const at::Tensor& z) { return torch::tanh(z * torch::arange(1, d + 1)); };
  const StepFn step = linear_steps;
  DiscoverySettings s;
  s.k = 2;
  s.batch = 8;
  auto batch = [&](int i) { return torch::randn({s.batch, d}, at::detail::createCPUGenerator(100 + i)); };
  DirectionSearch straight(d, s);
  for (int i = 0; i < 6; ++i) straight.step(batch(i), features, step);

  DirectionSearch first(d, s);
  for (int i = 0; i < 3; ++i) first.step(batch(i), features, step);
  torch::serialize::OutputArchive out;
  first.save(out);
  std::ostringstream bytes;
  out.save_to(bytes);
  DiscoverySettings other = s;
  other.seed = 99;  // another start, overwritten by the loaded state
  DirectionSearch resumed(d, other);
  torch::serialize::InputArchive in;
  std::istringstream read(bytes.str());
  in.load_from(read);
  resumed.load(in);
  for (int i = 3; i < 6; ++i) resumed.step(batch(i), features, step);
  EXPECT_TRUE(torch::equal(resumed.directions(), straight.directions()));
  // A state of another shape is refused.
  DiscoverySettings three = s;
  three.k = 3;
  DirectionSearch wrong(d, three);
  std::istringstream again(bytes.str());
  torch::serialize::InputArchive in2;
  in2.load_from(again);
  EXPECT_THROW(wrong.load(in2), Error);
}

TEST(WalkBatch, GaussianStepsKeepTheNormAndTheExactLogDensity) {
  auto gen = at::detail::createCPUGenerator(21);
  const auto z0 = torch::randn({64, 32}, gen);
  auto gamma = torch::randn({64, 32}, gen);
  gamma = gamma / gamma.norm(2, 1, true);
  const auto eps = torch::full({64}, 6.f);
  const auto dp = gaussian_dp_steps(z0, eps, gamma);
  EXPECT_TRUE(torch::allclose(dp.norm(2, 1), z0.norm(2, 1), 1e-5, 1e-4));
  EXPECT_TRUE(torch::allclose(gaussian_log_density(dp), gaussian_log_density(z0), 1e-5, 1e-3));
  const auto lin = linear_steps(z0, eps, gamma);
  EXPECT_TRUE(torch::allclose(lin - z0, 6 * gamma, 1e-5, 1e-5));
  EXPECT_GT((gaussian_log_density(lin) - gaussian_log_density(z0)).abs().mean().item<float>(), 5.f);
  // log N(0; 0, I) in d dimensions is -d/2 log(2 pi).
  EXPECT_NEAR(gaussian_log_density(torch::zeros({1, 4})).item<float>(), -2.0 * std::log(2.0 * M_PI), 1e-5);
}

}  // namespace
}  // namespace lw
