// Latent walks: where a walk is at time t, as a pure function of its settings.
//   linear              z0 + eps * gamma
//   density-preserving  for a Gaussian prior, z0 + eps * gamma rescaled to ||z0|| (DP-LaSE Eq. 2):
//                       the walk stays on the shell where the prior's mass lies
//   keyframes           through keyframe codes, interpolated linearly, by slerp or density-
//                       preserving (linear, rescaled to the interpolated norm)
//   random              from z0, a density-preserving step of `stride` along a fresh seeded
//                       direction every `segment` seconds, slerped between the knots
//   noise               a seamless loop z0 cos(2 pi t / period) + z1 sin(2 pi t / period) with z1
//                       seeded: for z0, z1 ~ N(0, I) every point of the loop is N(0, I) too
#pragma once

#include <Eigen/Core>
#include <cstdint>
#include <memory>
#include <vector>

namespace lw {

using Latent = Eigen::VectorXf;

enum class WalkKind { Linear, DensityPreserving, Keyframes, Random, Noise };
enum class Interpolation { Linear, Slerp, DensityPreserving };  // between keyframes
enum class Easing { Triangle, Sine, Smooth };                   // of a direction walk's ping-pong

// One step of size eps along gamma from z0.
Latent linear_step(const Latent& z0, const Latent& gamma, float eps);
Latent density_preserving_step(const Latent& z0, const Latent& gamma, float eps);
// Spherical interpolation, t in [0, 1]: the direction follows the great circle from a to b and
// the norm goes linearly from ||a|| to ||b||. Returns a at t = 0 and b at t = 1 exactly; falls
// back to linear interpolation when a and b are (anti)parallel within float precision.
Latent slerp(const Latent& a, const Latent& b, float t);
// Between a and b by `how`; a at t = 0 and b at t = 1 exactly.
Latent interpolate(const Latent& a, const Latent& b, float t, Interpolation how);

// A unit direction drawn from N(0, I) by a counter-based generator: the same on every machine
// and standard library, and O(1) to reach the k-th one.
Latent seeded_direction(std::uint64_t seed, std::uint64_t k, int dim);
// An N(0, I) code the same way (not unit length).
Latent seeded_normal(std::uint64_t seed, std::uint64_t k, int dim);

struct RandomWalkKnots;
// A knot cache for WalkSettings::knots.
std::shared_ptr<RandomWalkKnots> new_knot_cache();

struct WalkSettings {
  WalkKind kind = WalkKind::Linear;
  // Direction walks (linear, density-preserving): eps(t) sweeps -stride..stride and back,
  // ping-pong, once per `period` seconds, starting at eps = 0, shaped by `easing`.
  // Random walks: `stride` is the step between knots. Noise loops: `period` is the loop.
  Latent start;
  Latent direction;
  float stride = 3.f;
  float period = 4.f;
  Easing easing = Easing::Triangle;
  // Keyframe walks: keyframe i is reached at t = i * segment; with `loop`, the walk returns from
  // the last keyframe to the first. Random walks: seconds between knots.
  std::vector<Latent> keyframes;
  float segment = 2.f;
  bool loop = true;
  Interpolation interpolation = Interpolation::Slerp;
  // Random walks and noise loops: what their random directions and second code are drawn from.
  std::uint64_t walk_seed = 1;

  // Random walks: knots computed so far, shared by copies (the path is fixed by the settings
  // above, so a copy may reuse them; only appended to, under the cache's own lock).
  std::shared_ptr<RandomWalkKnots> knots;
};

// The step size of a direction walk at time t (seconds).
float walk_eps(const WalkSettings& s, double t);
// The latent of the walk at time t. Throws lw::Error for settings that describe no walk
// (empty start or direction, mismatched sizes, fewer than two keyframes, non-positive period).
Latent latent_at(const WalkSettings& s, double t);
// How long the walk takes to come back to where it started (seconds); 0 for a random walk,
// which never does.
double walk_period(const WalkSettings& s);

}  // namespace lw
