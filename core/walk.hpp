// Latent walks: where a walk is at time t, as a pure function of its settings.
//   linear              z0 + eps * gamma
//   density-preserving  for a Gaussian prior, z0 + eps * gamma rescaled to ||z0|| (DP-LaSE Eq. 2):
//                       the walk stays on the shell where the prior's mass lies
//   slerp               spherical interpolation between keyframes
#pragma once

#include <Eigen/Core>
#include <vector>

namespace lw {

using Latent = Eigen::VectorXf;

enum class WalkKind { Linear, DensityPreserving, Slerp };

// One step of size eps along gamma from z0.
Latent linear_step(const Latent& z0, const Latent& gamma, float eps);
Latent density_preserving_step(const Latent& z0, const Latent& gamma, float eps);
// Spherical interpolation, t in [0, 1]: the direction follows the great circle from a to b and
// the norm goes linearly from ||a|| to ||b||. Returns a at t = 0 and b at t = 1 exactly; falls
// back to linear interpolation when a and b are (anti)parallel within float precision.
Latent slerp(const Latent& a, const Latent& b, float t);

struct WalkSettings {
  WalkKind kind = WalkKind::Linear;
  // Direction walks (linear, density-preserving): eps(t) sweeps -stride..stride and back,
  // ping-pong, once per `period` seconds, starting at eps = 0.
  Latent start;
  Latent direction;
  float stride = 3.f;
  float period = 4.f;
  // Keyframe walks (slerp): keyframe i is reached at t = i * segment; with `loop`, the walk
  // returns from the last keyframe to the first.
  std::vector<Latent> keyframes;
  float segment = 2.f;
  bool loop = true;
};

// The step size of a direction walk at time t (seconds).
float walk_eps(const WalkSettings& s, double t);
// The latent of the walk at time t. Throws lw::Error for settings that describe no walk
// (empty start or direction, mismatched sizes, fewer than two keyframes, non-positive period).
Latent latent_at(const WalkSettings& s, double t);

}  // namespace lw
