#include <gtest/gtest.h>

#include <random>

#include "core/base/check.hpp"
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
  s.kind = WalkKind::Keyframes;
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
  s.kind = WalkKind::Keyframes;
  s.keyframes = {gaussian(8, 1)};
  EXPECT_THROW(latent_at(s, 0.0), Error);
  s.kind = WalkKind::Linear;
  s.direction = gaussian(8, 2);
  s.period = 0.f;
  EXPECT_THROW(latent_at(s, 0.0), Error);
}

TEST(Walk, EasingsTurnAtTheSamePlacesAndTheSmoothOneStartsStill) {
  WalkSettings s;
  s.stride = 2.f;
  s.period = 4.f;
  for (const auto easing : {Easing::Triangle, Easing::Sine, Easing::Smooth}) {
    s.easing = easing;
    EXPECT_NEAR(walk_eps(s, 0.0), 0.f, 1e-6f);
    EXPECT_NEAR(walk_eps(s, 1.0), 2.f, 1e-6f);
    EXPECT_NEAR(walk_eps(s, 2.0), 0.f, 1e-6f);
    EXPECT_NEAR(walk_eps(s, 3.0), -2.f, 1e-6f);
    EXPECT_NEAR(walk_eps(s, 4.0), 0.f, 1e-6f);
  }
  s.easing = Easing::Triangle;
  const float triangle = walk_eps(s, 0.02);
  s.easing = Easing::Smooth;
  EXPECT_LT(walk_eps(s, 0.02), 0.1f * triangle) << "smoothstep leaves 0 with zero speed";
  s.easing = Easing::Sine;
  EXPECT_LT(walk_eps(s, 0.96), walk_eps(s, 1.0));
}

TEST(Walk, KeyframeInterpolationsHitTheirKeyframesAndDiffer) {
  const Latent a = gaussian(256, 20), b = gaussian(256, 21);
  for (const auto how : {Interpolation::Linear, Interpolation::Slerp, Interpolation::DensityPreserving}) {
    EXPECT_EQ(interpolate(a, b, 0.f, how), a);
    EXPECT_EQ(interpolate(a, b, 1.f, how), b);
  }
  const float target = 0.5f * (a.norm() + b.norm());
  // Two independent Gaussian codes are nearly orthogonal: the chord's midpoint falls well
  // inside the shell, and the density-preserving midpoint is pushed back onto it.
  EXPECT_LT(interpolate(a, b, 0.5f, Interpolation::Linear).norm(), 0.8f * target);
  EXPECT_NEAR(interpolate(a, b, 0.5f, Interpolation::DensityPreserving).norm(), target, 1e-3f * target);
  EXPECT_TRUE(interpolate(a, b, 0.5f, Interpolation::DensityPreserving).normalized().isApprox(
      interpolate(a, b, 0.5f, Interpolation::Linear).normalized(), 1e-5f));
}

TEST(Walk, SeededNormalsAreStandardReproducibleAndIndependentByIndex) {
  const Latent x = seeded_normal(3, 0, 100000);
  EXPECT_NEAR(x.mean(), 0.f, 0.02f);
  EXPECT_NEAR(std::sqrt(x.squaredNorm() / x.size()), 1.f, 0.02f);
  EXPECT_EQ(seeded_normal(3, 5, 64), seeded_normal(3, 5, 64));
  EXPECT_LT(std::abs(seeded_direction(3, 5, 512).dot(seeded_direction(3, 6, 512))), 0.2f);
  EXPECT_LT(std::abs(seeded_direction(3, 5, 512).dot(seeded_direction(4, 5, 512))), 0.2f);
  EXPECT_NEAR(seeded_direction(9, 1, 33).norm(), 1.f, 1e-6f);
}

TEST(Walk, RandomWalkKeepsTheNormPassesItsKnotsAndIsTheSameWithOrWithoutItsCache) {
  WalkSettings s;
  s.kind = WalkKind::Random;
  s.start = gaussian(128, 30);
  s.stride = 3.f;
  s.segment = 0.5f;
  s.walk_seed = 4;
  s.knots = new_knot_cache();
  EXPECT_EQ(latent_at(s, 0.0), s.start);
  for (double t : {0.25, 1.0, 7.3, 40.0}) EXPECT_NEAR(latent_at(s, t).norm(), s.start.norm(), 1e-4f * s.start.norm()) << t;
  // Knot 1 is one density-preserving step along the seed's first direction.
  const Latent knot1 = density_preserving_step(s.start, seeded_direction(4, 0, 128), 3.f);
  EXPECT_TRUE(latent_at(s, 0.5).isApprox(knot1, 1e-6f));
  WalkSettings uncached = s;
  uncached.knots = nullptr;
  EXPECT_TRUE(latent_at(uncached, 12.3).isApprox(latent_at(s, 12.3), 1e-6f));
  EXPECT_TRUE(latent_at(s, 3.1).isApprox(latent_at(s, 3.1)));  // from the cache, backwards in time
  // It wanders: far from the start after many knots, and another seed goes elsewhere.
  EXPECT_LT(latent_at(s, 50.0).normalized().dot(s.start.normalized()), 0.7f);
  WalkSettings other = s;
  other.walk_seed = 5;
  other.knots = new_knot_cache();
  EXPECT_LT(latent_at(other, 5.0).normalized().dot(latent_at(s, 5.0).normalized()), 0.9f);
  // A stride change on a copy sharing the cache starts the path over rather than reusing it.
  WalkSettings longer = s;
  longer.stride = 6.f;
  EXPECT_TRUE(latent_at(longer, 0.5).isApprox(density_preserving_step(s.start, seeded_direction(4, 0, 128), 6.f), 1e-6f));
}

TEST(Walk, NoiseLoopIsSeamlessAndStaysOnTheGaussianShell) {
  WalkSettings s;
  s.kind = WalkKind::Noise;
  s.start = seeded_normal(1, 0, 512);
  s.period = 8.f;
  s.walk_seed = 2;
  EXPECT_EQ(latent_at(s, 0.0), s.start);
  EXPECT_TRUE(latent_at(s, 8.0).isApprox(s.start, 1e-6f));
  EXPECT_TRUE(latent_at(s, 11.0).isApprox(latent_at(s, 3.0), 1e-5f));
  for (double t = 0.0; t < 8.0; t += 0.5) EXPECT_NEAR(latent_at(s, t).norm() / std::sqrt(512.f), 1.f, 0.08f) << t;
  EXPECT_LT(latent_at(s, 4.0).dot(s.start), 0.f) << "half way round the loop is opposite the start";
  EXPECT_EQ(walk_period(s), 8.0);
}

}  // namespace
}  // namespace lw
