#include "core/walk.hpp"

#include <algorithm>
#include <cmath>
#include <mutex>
#include <numbers>

#include "core/base/check.hpp"

namespace lw {

// The knots of a random walk, for the settings they were made from.
struct RandomWalkKnots {
  std::mutex mutex;
  Latent start;
  float stride = 0.f;
  std::uint64_t seed = 0;
  std::vector<Latent> knots;
};

std::shared_ptr<RandomWalkKnots> new_knot_cache() { return std::make_shared<RandomWalkKnots>(); }

namespace {
void check_same_size(const Latent& a, const Latent& b, const char* what) {
  LW_EXPECT(a.size() > 0 && a.size() == b.size(), what << ": latent sizes differ or are empty (" << a.size() << " vs "
                                                       << b.size() << ")");
}
}  // namespace

Latent linear_step(const Latent& z0, const Latent& gamma, float eps) {
  check_same_size(z0, gamma, "linear walk");
  return z0 + eps * gamma;
}

Latent density_preserving_step(const Latent& z0, const Latent& gamma, float eps) {
  check_same_size(z0, gamma, "density-preserving walk");
  // In double: the rescale must keep ||z|| to float precision even far out along gamma.
  const Eigen::VectorXd z = z0.cast<double>() + static_cast<double>(eps) * gamma.cast<double>();
  const double n0 = z0.cast<double>().norm(), n = z.norm();
  if (n == 0.0) return z0;  // the step cancelled z0 exactly: stay where the walk started
  return (z * (n0 / n)).cast<float>();
}

Latent slerp(const Latent& a, const Latent& b, float t) {
  check_same_size(a, b, "slerp");
  if (t == 0.f) return a;
  if (t == 1.f) return b;
  // The direction moves along the great circle, the norm linearly: for a Gaussian prior the
  // path stays where the prior's mass lies even when the keyframes' norms differ.
  const Eigen::VectorXd da = a.cast<double>(), db = b.cast<double>();
  const double na = da.norm(), nb = db.norm();
  if (na == 0.0 || nb == 0.0) return (1.f - t) * a + t * b;
  const Eigen::VectorXd ua = da / na, ub = db / nb;
  const double omega = std::acos(std::clamp(ua.dot(ub), -1.0, 1.0)), so = std::sin(omega);
  if (so < 1e-6) return (1.f - t) * a + t * b;  // (anti)parallel: no unique arc
  const Eigen::VectorXd u = (std::sin((1.0 - t) * omega) * ua + std::sin(t * omega) * ub) / so;
  return (u * ((1.0 - t) * na + t * nb)).cast<float>();
}

Latent interpolate(const Latent& a, const Latent& b, float t, Interpolation how) {
  check_same_size(a, b, "keyframe interpolation");
  if (t == 0.f) return a;
  if (t == 1.f) return b;
  switch (how) {
    case Interpolation::Linear: return (1.f - t) * a + t * b;
    case Interpolation::Slerp: return slerp(a, b, t);
    case Interpolation::DensityPreserving: {
      // The straight line, rescaled onto the norm interpolated between the keyframes': the
      // chord of a Gaussian's shell pushed back onto it.
      const Eigen::VectorXd z = (1.0 - t) * a.cast<double>() + static_cast<double>(t) * b.cast<double>();
      const double target = (1.0 - t) * a.cast<double>().norm() + t * b.cast<double>().norm(), n = z.norm();
      return n == 0.0 ? Latent((1.f - t) * a + t * b) : Latent((z * (target / n)).cast<float>());
    }
  }
  LW_FAIL("unknown interpolation");
}

namespace {

// SplitMix64: a fixed function of its input, so draw k of a seed is reachable directly.
std::uint64_t mix(std::uint64_t x) {
  x += 0x9e3779b97f4a7c15ull;
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
  return x ^ (x >> 31);
}

double uniform_open(std::uint64_t bits) { return (static_cast<double>(bits >> 11) + 0.5) * 0x1.0p-53; }

}  // namespace

Latent seeded_normal(std::uint64_t seed, std::uint64_t k, int dim) {
  Latent z(dim);
  const std::uint64_t stream = mix(mix(seed) ^ (k * 0xd1b54a32d192ed03ull));
  for (int i = 0; i < dim; i += 2) {
    // Box-Muller: two uniforms make two independent standard normals.
    const double u1 = uniform_open(mix(stream + 2 * static_cast<std::uint64_t>(i)));
    const double u2 = uniform_open(mix(stream + 2 * static_cast<std::uint64_t>(i) + 1));
    const double r = std::sqrt(-2.0 * std::log(u1)), a = 2.0 * std::numbers::pi * u2;
    z[i] = static_cast<float>(r * std::cos(a));
    if (i + 1 < dim) z[i + 1] = static_cast<float>(r * std::sin(a));
  }
  return z;
}

Latent seeded_direction(std::uint64_t seed, std::uint64_t k, int dim) { return seeded_normal(seed, k, dim).normalized(); }

float walk_eps(const WalkSettings& s, double t) {
  LW_EXPECT(s.period > 0.f, "walk period must be positive, got " << s.period);
  double phase = std::fmod(t / s.period, 1.0);
  if (phase < 0) phase += 1.0;
  double x = 0.0;
  switch (s.easing) {
    case Easing::Triangle:  // 0 -> +1 -> 0 -> -1 -> 0 at constant speed
      x = phase < 0.25 ? 4 * phase : phase < 0.75 ? 2 - 4 * phase : 4 * phase - 4;
      break;
    case Easing::Sine:  // the same turns, slowing into each
      x = std::sin(2.0 * std::numbers::pi * phase);
      break;
    case Easing::Smooth: {  // smoothstep on each quarter: still at the ends and at the start
      const double tri = phase < 0.25 ? 4 * phase : phase < 0.75 ? 2 - 4 * phase : 4 * phase - 4;
      const double a = std::abs(tri);
      x = std::copysign(a * a * (3.0 - 2.0 * a), tri);
      break;
    }
  }
  return static_cast<float>(s.stride * x);
}

namespace {

Latent keyframe_at(const WalkSettings& s, double t) {
  const auto n = static_cast<long>(s.keyframes.size());
  LW_EXPECT(n >= 2, "a keyframe walk needs at least two keyframes, got " << n);
  LW_EXPECT(s.segment > 0.f, "keyframe segment duration must be positive, got " << s.segment);
  const long segments = s.loop ? n : n - 1;
  double pos = t / s.segment;
  if (s.loop) pos = std::fmod(pos, static_cast<double>(segments)) + (pos < 0 ? segments : 0);
  pos = std::clamp(pos, 0.0, static_cast<double>(segments));
  auto i = static_cast<long>(std::floor(pos));
  if (i >= segments) return s.keyframes[static_cast<std::size_t>(s.loop ? 0 : n - 1)];
  const auto u = static_cast<float>(pos - static_cast<double>(i));
  return interpolate(s.keyframes[static_cast<std::size_t>(i)], s.keyframes[static_cast<std::size_t>((i + 1) % n)], u,
                     s.interpolation);
}

Latent random_walk_at(const WalkSettings& s, double t) {
  LW_EXPECT(s.start.size() > 0, "a random walk needs a start code");
  LW_EXPECT(s.segment > 0.f, "random walk segment duration must be positive, got " << s.segment);
  const double pos = std::max(0.0, t / s.segment);
  const auto j = static_cast<std::size_t>(std::floor(pos));
  const auto u = static_cast<float>(pos - static_cast<double>(j));
  auto compute = [&](RandomWalkKnots& c) {
    std::lock_guard lock(c.mutex);
    if (c.knots.empty() || c.stride != s.stride || c.seed != s.walk_seed || c.start.size() != s.start.size() ||
        c.start != s.start) {
      c.knots.assign(1, s.start);
      c.start = s.start, c.stride = s.stride, c.seed = s.walk_seed;
    }
    while (c.knots.size() < j + 2) {
      const auto k = c.knots.size() - 1;
      c.knots.push_back(density_preserving_step(c.knots[k], seeded_direction(s.walk_seed, k, static_cast<int>(s.start.size())),
                                                s.stride));
    }
    return slerp(c.knots[j], c.knots[j + 1], u);
  };
  if (s.knots) return compute(*s.knots);
  RandomWalkKnots local;  // no cache: the path from the start, every time
  return compute(local);
}

}  // namespace

Latent latent_at(const WalkSettings& s, double t) {
  switch (s.kind) {
    case WalkKind::Linear: return linear_step(s.start, s.direction, walk_eps(s, t));
    case WalkKind::DensityPreserving: return density_preserving_step(s.start, s.direction, walk_eps(s, t));
    case WalkKind::Keyframes: return keyframe_at(s, t);
    case WalkKind::Random: return random_walk_at(s, t);
    case WalkKind::Noise: {
      LW_EXPECT(s.start.size() > 0, "a noise loop needs a start code");
      LW_EXPECT(s.period > 0.f, "noise loop period must be positive, got " << s.period);
      const double a = 2.0 * std::numbers::pi * std::fmod(t / s.period, 1.0);
      const Latent other = seeded_normal(s.walk_seed, 0, static_cast<int>(s.start.size()));
      return (std::cos(a) * s.start.cast<double>() + std::sin(a) * other.cast<double>()).cast<float>();
    }
  }
  LW_FAIL("unknown walk kind");
}

double walk_period(const WalkSettings& s) {
  switch (s.kind) {
    case WalkKind::Linear:
    case WalkKind::DensityPreserving:
    case WalkKind::Noise: return s.period;
    case WalkKind::Keyframes:
      return s.segment * static_cast<double>(s.keyframes.size() - (s.loop || s.keyframes.empty() ? 0 : 1));
    case WalkKind::Random: return 0.0;
  }
  return 0.0;
}

}  // namespace lw
