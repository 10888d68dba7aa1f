#include <gtest/gtest.h>

#include <random>

#include "core/check.hpp"
#include "core/walk.hpp"

namespace lw {
namespace {

Latent gaussian(int d, unsigned seed) {
  std::mt19937 rng(seed);
  std::normal_distribution<float> n;
  Latent z(d);
  for (int i = 0; i < d; ++i) z[i] = n(rng);
  return z;
}

TEST(Walk, DensityPreservingKeepsTheNormForStridesUpTo20) {
  for (unsigned seed = 0; seed < 20; ++seed) {
    const Latent z0 = gaussian(512, seed), g = gaussian(512, seed + 100).normalized();
    for (float eps = -20.f; eps <= 20.f; eps += 0.5f) {
      const Latent z = density_preserving_step(z0, g, eps);
      EXPECT_NEAR(z.norm() / z0.norm(), 1.0f, 1e-5f) << "eps " << eps;
    }
  }
}

TEST(Walk, DensityPreservingMovesAlongTheDirection) {
  const Latent z0 = gaussian(64, 1), g = gaussian(64, 2).normalized();
  const float before = z0.dot(g);
  EXPECT_GT(density_preserving_step(z0, g, 3.f).dot(g), before);
  EXPECT_LT(density_preserving_step(z0, g, -3.f).dot(g), before);
}

TEST(Walk, LinearNormDriftGrowsWithStride) {
  const Latent z0 = gaussian(512, 3), g = gaussian(512, 4).normalized();
  float last = 0.f;
  for (float eps : {2.f, 5.f, 10.f, 20.f}) {
    const float drift = std::abs(linear_step(z0, g, eps).norm() - z0.norm());
    EXPECT_GT(drift, last) << "eps " << eps;
    last = drift;
  }
  // Far out, ||z0 + eps g|| approaches eps: the walk has left the prior's shell.
  EXPECT_GT(linear_step(z0, g, 20.f).norm(), 1.5f * std::sqrt(512.f) * 0.9f);
}

TEST(Walk, SlerpHitsItsKeyframesExactly) {
  WalkSettings s;
  s.kind = WalkKind::Slerp;
  s.keyframes = {gaussian(128, 5), gaussian(128, 6), gaussian(128, 7)};
  s.segment = 1.5f;
  for (std::size_t i = 0; i < s.keyframes.size(); ++i)
    EXPECT_EQ(latent_at(s, 1.5 * static_cast<double>(i)), s.keyframes[i]) << "keyframe " << i;
  EXPECT_EQ(latent_at(s, 4.5), s.keyframes[0]);  // looped back to the first
  s.loop = false;
  EXPECT_EQ(latent_at(s, 100.0), s.keyframes[2]);  // clamped at the last
}

TEST(Walk, SlerpInterpolatesOnTheArc) {
  const Latent a = gaussian(64, 8), b = gaussian(64, 9);
  const Latent mid = slerp(a, b, 0.5f);
  const Latent ua = a.normalized(), ub = b.normalized(), um = mid.normalized();
  EXPECT_NEAR(um.dot(ua), um.dot(ub), 1e-5f);  // equal angles to both ends
  EXPECT_NEAR(mid.norm(), 0.5f * (a.norm() + b.norm()), 1e-4f);
  EXPECT_TRUE(slerp(a, a, 0.3f).isApprox(a));   // parallel: no NaN
}

TEST(Walk, LatentAtIsDeterministicAndPingPongs) {
  WalkSettings s;
  s.kind = WalkKind::DensityPreserving;
  s.start = gaussian(32, 10);
  s.direction = gaussian(32, 11).normalized();
  s.stride = 4.f;
  s.period = 2.f;
  EXPECT_EQ(latent_at(s, 0.7), latent_at(s, 0.7));
  EXPECT_FLOAT_EQ(walk_eps(s, 0.0), 0.f);
  EXPECT_FLOAT_EQ(walk_eps(s, 0.5), 4.f);
  EXPECT_FLOAT_EQ(walk_eps(s, 1.5), -4.f);
  EXPECT_FLOAT_EQ(walk_eps(s, 2.5), 4.f);
  EXPECT_EQ(latent_at(s, 0.0), s.start);
}

TEST(Walk, BadSettingsThrow) {
  WalkSettings s;
  s.start = gaussian(8, 1);
  s.direction = gaussian(9, 2);
  EXPECT_THROW(latent_at(s, 0.0), Error);
  s.kind = WalkKind::Slerp;
  s.keyframes = {gaussian(8, 1)};
  EXPECT_THROW(latent_at(s, 0.0), Error);
  s.kind = WalkKind::Linear;
  s.direction = gaussian(8, 2);
  s.period = 0.f;
  EXPECT_THROW(latent_at(s, 0.0), Error);
}

}  // namespace
}  // namespace lw
