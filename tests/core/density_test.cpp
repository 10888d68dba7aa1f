#include <gtest/gtest.h>

#include <torch/torch.h>

#include <cmath>

#include "core/check.hpp"
#include "core/density.hpp"

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

TEST(Correction, TrainingLowersTheDensityChangeOfWalks) {
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
  const float before = density_change(c, f, z0, eps, gamma).item<float>();  // C starts at zero: the linear walk
  CorrectionSettings cs;
  cs.steps = 800;
  cs.max_eps = 4.f;
  train_correction(c, f, samples, {}, cs);
  torch::NoGradGuard no_grad;
  const float after = density_change(c, f, z0, eps, gamma).item<float>();
  EXPECT_LT(after, 0.5f * before) << "before " << before << ", after " << after;
  // The walk still goes somewhere: the correction does not undo the step.
  const float moved = (c.walk(z0, eps, gamma) - z0).norm(2, 1).mean().item<float>();
  EXPECT_GT(moved, 0.5f * eps.abs().mean().item<float>());
  // Save, load, and refuse another latent size.
  const auto path = std::filesystem::temp_directory_path() / "lw_correction_test.pt";
  c.save(path);
  EXPECT_TRUE(torch::allclose(CorrectionModel::load(path, d).walk(z0, eps, gamma), c.walk(z0, eps, gamma)));
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
