#include "core/walk.hpp"

#include <cmath>

#include "core/check.hpp"

namespace lw {

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

float walk_eps(const WalkSettings& s, double t) {
  LW_EXPECT(s.period > 0.f, "walk period must be positive, got " << s.period);
  // Triangle wave through 0 -> +stride -> 0 -> -stride -> 0 over one period.
  double phase = std::fmod(t / s.period, 1.0);
  if (phase < 0) phase += 1.0;
  const double tri = phase < 0.25 ? 4 * phase : phase < 0.75 ? 2 - 4 * phase : 4 * phase - 4;
  return static_cast<float>(s.stride * tri);
}

Latent latent_at(const WalkSettings& s, double t) {
  switch (s.kind) {
    case WalkKind::Linear: return linear_step(s.start, s.direction, walk_eps(s, t));
    case WalkKind::DensityPreserving: return density_preserving_step(s.start, s.direction, walk_eps(s, t));
    case WalkKind::Slerp: {
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
      return slerp(s.keyframes[static_cast<std::size_t>(i)], s.keyframes[static_cast<std::size_t>((i + 1) % n)], u);
    }
  }
  LW_FAIL("unknown walk kind");
}

}  // namespace lw
