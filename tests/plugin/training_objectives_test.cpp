#include "plugin/training_objectives.hpp"

#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <functional>

#include "tests/test_paths.hpp"

namespace lw::plugin {
namespace {

at::Tensor normal(std::int64_t rows, std::int64_t cols, std::uint64_t seed) {
  return torch::randn({rows, cols}, at::detail::createCPUGenerator(seed));
}

TEST(RunningMoments, ABatchWithTheTargetStatisticsCostsNothing) {
  const auto v = normal(64, 3, 1);
  const auto mean = v.mean(0);
  const auto c = v - mean;
  RunningMoments moments(mean, c.t().mm(c) / 63.0);
  EXPECT_LT(moments.loss(v).item<double>(), 1e-10);
}

TEST(RunningMoments, TheGradientPullsTheMeanAndTheCorrelationsTowardTheTargets) {
  // Targets: mean 0, identity covariance. Generated: mean +1 in factor 0, factors 1 and 2
  // correlated (0.8).
  RunningMoments moments(torch::zeros({3}), torch::eye(3));
  auto v = normal(256, 3, 2);
  v.select(1, 0).add_(1.0);
  v.select(1, 2).mul_(0.6).add_(0.8 * v.select(1, 1));
  v.requires_grad_(true);
  moments.loss(v).backward();
  // Gradient descent lowers factor 0 and pulls factors 1 and 2 apart.
  EXPECT_GT(v.grad().select(1, 0).sum().item<double>(), 0.0);
  const auto step = -v.grad() / v.grad().abs().max();
  const auto moved = v.detach() + 0.1 * step;
  const auto corr = [](const at::Tensor& x) {
    const auto a = x.select(1, 1) - x.select(1, 1).mean(), b = x.select(1, 2) - x.select(1, 2).mean();
    return ((a * b).sum() / (a.norm() * b.norm())).item<double>();
  };
  EXPECT_LT(corr(moved), corr(v.detach()));
}

TEST(RunningMoments, TheWindowRemembersEarlierBatches) {
  RunningMoments moments(torch::zeros({1}), torch::ones({1, 1}));
  const auto high = normal(16, 1, 3) + 2.0;
  moments.loss(high);
  // A batch right on target still costs something: the window still holds the earlier bias.
  const auto on_target = torch::tensor({-1.0f, 1.0f, -1.0f, 1.0f}).view({4, 1});
  EXPECT_GT(moments.loss(on_target).item<double>(), 1.0);
}

TEST(DirectionReadout, LearnsAnAffineFactorAndCountsTheResidualAgainstItsSpread) {
  const auto dir = std::filesystem::path(LW_TEST_TMP) / "linear_readout";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  DirectionReadout readout(2, 4, dir);
  const auto a = normal(2, 4, 4);
  double first = 0, last = 0;
  for (int i = 0; i < 600; ++i) {
    const auto w = normal(32, 4, 10 + static_cast<std::uint64_t>(i));
    const auto target = w.mm(a.t()) + 0.5;
    readout.zero_grad();
    const auto l = readout.loss(w, target);
    l.backward();
    readout.step();
    if (i == 0) first = l.item<double>();
    last = l.item<double>();
  }
  EXPECT_NEAR(first, 1.0, 0.3);  // a zero readout explains none of the spread: 1 - R^2 = ~1
  EXPECT_LT(last, 0.01);
  // Saved and loaded back, the readout keeps what it learned (a zero readout costs ~1).
  Checkpoint checkpoint;
  readout.save(checkpoint);
  EXPECT_FALSE(std::filesystem::exists(dir / "readout.pt")) << "nothing is in place before the checkpoint commits";
  checkpoint.commit();
  DirectionReadout reloaded(2, 4, dir);
  const auto w = normal(32, 4, 999);
  EXPECT_LT(reloaded.loss(w, w.mm(a.t()) + 0.5).item<double>(), 0.02);
}

TEST(DirectionReadout, AFactorVariedLessCostsTheSame) {
  const auto root = std::filesystem::path(LW_TEST_TMP) / "linear_readout_scale";
  std::filesystem::remove_all(root);
  std::filesystem::create_directories(root / "a");
  std::filesystem::create_directories(root / "b");
  DirectionReadout full(2, 4, root / "a"), shrunk(2, 4, root / "b");
  const auto w = normal(64, 4, 6);
  const auto target = normal(64, 2, 7);
  EXPECT_NEAR(full.loss(w, target).item<double>(), shrunk.loss(w, 0.1 * target).item<double>(), 1e-4);
}

// Trains a readout of one binary factor on `target(w)` and returns its last loss.
double fit_binary(const std::filesystem::path& dir, const std::function<at::Tensor(const at::Tensor&)>& target) {
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  DirectionReadout readout(1, 4, dir, torch::ones({1}, torch::kBool));
  double last = 0;
  for (int i = 0; i < 1500; ++i) {
    const auto w = normal(64, 4, 100 + static_cast<std::uint64_t>(i));
    readout.zero_grad();
    const auto l = readout.loss(w, target(w));
    l.backward();
    readout.step();
    last = l.item<double>();
  }
  return last;
}

TEST(DirectionReadout, ABinaryFactorIsAStepAndASlopeAlongOneDirection) {
  const auto root = std::filesystem::path(LW_TEST_TMP) / "direction_readout_binary";
  const auto r = normal(1, 4, 8).view({4}), q = normal(1, 4, 9).view({4});
  const auto q_perp = q - r * (q.dot(r) / r.dot(r));
  // Two-moded like a classifier's logit: a sharp switch plus a slope along the same direction.
  const double aligned = fit_binary(root / "aligned", [&](const at::Tensor& w) {
    const auto u = w.mv(r).unsqueeze(1);
    return 3.0 * torch::tanh(2.0 * u) + 0.5 * u;
  });
  // The same switch with the slope along another direction: not one direction of W.
  const double crossed = fit_binary(root / "crossed", [&](const at::Tensor& w) {
    return 3.0 * torch::tanh(2.0 * w.mv(r).unsqueeze(1)) + 0.5 * w.mv(q_perp).unsqueeze(1) * (r.norm() / q_perp.norm());
  });
  EXPECT_LT(aligned, 0.02);
  EXPECT_GT(crossed, 3.0 * aligned);
  EXPECT_GT(crossed, 0.02);
}

}  // namespace
}  // namespace lw::plugin
