#include "core/render_codes.hpp"

#include <torch/torch.h>

#include <cmath>
#include <numbers>

#include "core/base/check.hpp"
#include "core/model.hpp"

namespace lw {

namespace {
at::Tensor transform_tensor(const RenderSpec& spec) {
  auto m = input_transform(spec.rotate, spec.translate_x, spec.translate_y);
  return torch::from_blob(m.data(), {3, 3}, torch::kFloat).clone();
}
}  // namespace

at::Tensor render_codes(const Generator& g, const at::Tensor& codes, const RenderSpec& spec, const at::Tensor& w_avg) {
  torch::NoGradGuard no_grad;
  const bool truncate = spec.truncation != 1.f;
  auto pull = [&](const at::Tensor& w) {
    LW_EXPECT(w_avg.defined(), "truncation needs the mean of W, and this model has no mapping network");
    // NVlabs' w_avg.lerp(w, psi), which broadcasts over [B, d] and [B, L, d].
    return at::lerp(w_avg, w.to(w_avg.device()), spec.truncation);
  };
  const bool transform = g.has_input_transform() && (spec.rotate != 0.f || spec.translate_x != 0.f || spec.translate_y != 0.f);
  auto synthesis = [&](const at::Tensor& w) {
    return transform ? g.synthesis_transformed(w, transform_tensor(spec)) : g.synthesis(w);
  };
  switch (spec.space) {
    case Space::Z:
      if (!truncate && !transform) return g.generate(codes);
      if (g.w_dim() > 0) return synthesis(truncate ? pull(g.mapping(codes)) : g.mapping(codes));
      return g.generate(codes * spec.truncation);
    case Space::W:
    case Space::WPlus: return synthesis(truncate ? pull(codes) : codes);
  }
  LW_FAIL("unknown space");
}

at::Tensor mean_w(const Generator& g) {
  if (g.w_dim() <= 0) return {};
  if (const at::Tensor carried = g.w_avg(); carried.defined()) return carried;
  torch::NoGradGuard no_grad;
  const auto z = torch::randn({4096, g.latent_dim()}, at::detail::createCPUGenerator(0));
  return g.mapping(z).mean(0);
}

// [[c, s, tx], [-s, c, ty], [0, 0, 1]] is a rotation R and a translation t; its inverse is
// [[R^T, -R^T t], [0, 1]], written out.
std::array<float, 9> input_transform(float degrees, float tx, float ty) {
  const double a = degrees / 180.0 * std::numbers::pi;
  const double c = std::cos(a), s = std::sin(a);
  return {static_cast<float>(c), static_cast<float>(-s), static_cast<float>(-(c * tx - s * ty)),
          static_cast<float>(s), static_cast<float>(c), static_cast<float>(-(s * tx + c * ty)),
          0.f, 0.f, 1.f};
}

}  // namespace lw
