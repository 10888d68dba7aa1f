#include "core/latent_space.hpp"

#include <torch/torch.h>

#include "core/base/check.hpp"
#include "core/model.hpp"
#include "core/npy.hpp"
#include "core/render_codes.hpp"

namespace lw {
namespace fs = std::filesystem;

Space parse_space(const std::string& text) {
  if (text == "z") return Space::Z;
  if (text == "w") return Space::W;
  if (text == "wplus") return Space::WPlus;
  LW_FAIL("--space must be z, w or wplus, got \"" << text << "\"");
}

std::string space_name(Space s) { return s == Space::Z ? "z" : s == Space::W ? "w" : "wplus"; }
std::string space_label(Space s) { return s == Space::Z ? "Z" : s == Space::W ? "W" : "W+"; }

void check_space(const Generator& g, Space space, const Eigen::VectorXf& direction, const LayerRange& layers) {
  const int dim = space == Space::Z ? g.latent_dim() : g.w_dim();
  LW_EXPECT(space == Space::Z || g.w_dim() > 0, "this model has no mapping network, so no " << space_name(space) << " space");
  LW_EXPECT(space != Space::WPlus || g.num_ws() > 0, "this model does not take per-layer codes (W+)");
  LW_EXPECT(direction.size() == dim, "the boundary has dimension " << direction.size() << ", but " << space_name(space)
                                                                    << " of this model has " << dim);
  if (space == Space::WPlus && layers.end >= 0)
    LW_EXPECT(layers.end <= g.num_ws(), "--layers reaches layer " << layers.end - 1 << " but the model has " << g.num_ws());
}

at::Tensor codes_in(const Generator& g, const at::Tensor& z, Space space) {
  if (space == Space::Z) return z;
  const auto w = g.mapping(z);
  if (space == Space::W) return w;
  return w.unsqueeze(1).repeat({1, g.num_ws(), 1});
}

at::Tensor edited_codes(const Generator& g, const at::Tensor& codes, Space space, const at::Tensor& direction,
                        float alpha, const LayerRange& layers) {
  if (space != Space::WPlus) return codes + alpha * direction;
  auto ws = codes.clone();
  const int end = layers.end < 0 ? g.num_ws() : layers.end;
  ws.slice(1, layers.begin, end) += alpha * direction;
  return ws;
}

at::Tensor edited_images(const Generator& g, const at::Tensor& codes, Space space, const at::Tensor& direction,
                         float alpha, const LayerRange& layers) {
  return render_codes(g, edited_codes(g, codes, space, direction, alpha, layers), RenderSpec{space}, {});
}

at::Tensor to_tensor(const Eigen::VectorXf& v) {
  return torch::from_blob(const_cast<float*>(v.data()), {v.size()}).clone();
}

LatentSpace::LatentSpace(const Generator& g, Space space, bool gaussian_prior)
    : generator_(g), space_(space), gaussian_prior_(gaussian_prior) {
  LW_EXPECT(space != Space::WPlus, "--space must be z or w");
  LW_EXPECT(space == Space::Z || g.w_dim() > 0, "this model has no mapping network, so no W space");
  dims_ = space == Space::Z ? g.latent_dim() : g.w_dim();
}

at::Tensor LatentSpace::sample(std::int64_t n, std::uint64_t seed) const {
  torch::NoGradGuard no_grad;
  const auto z = torch::randn({n, generator_.latent_dim()}, at::detail::createCPUGenerator(seed));
  if (space_ == Space::Z) return z;
  std::vector<at::Tensor> parts;
  for (std::int64_t b = 0; b < n; b += 1000) parts.push_back(generator_.mapping(z.slice(0, b, std::min(n, b + 1000))));
  return torch::cat(parts);
}

at::Tensor LatentSpace::images(const at::Tensor& codes) const { return render_codes(generator_, codes, RenderSpec{space_}, {}); }

void LatentSpace::check_layer(int layer) const {
  LW_EXPECT(generator_.feature_layers() > 0, "this model declares no feature layers (manifest feature_layers), which "
                                             "direction discovery needs");
  LW_EXPECT(layer >= 0 && layer < generator_.feature_layers(),
            "--layer " << layer << " is not a layer of this model: it has layers 0.." << generator_.feature_layers() - 1);
  LW_EXPECT(space_ == Space::Z || generator_.has_synthesis_features(),
            "this model has no synthesis_features(w, layer), which direction discovery in W needs");
}

at::Tensor LatentSpace::features(const at::Tensor& codes, int layer) const {
  return space_ == Space::Z ? generator_.features(codes, layer) : generator_.synthesis_features(codes, layer);
}

at::Tensor load_directions(const fs::path& npy, const LatentSpace& space) {
  const auto a = read_npy(npy);
  LW_EXPECT(a.shape.size() == 2 && a.shape[0] >= 1,
            npy.string() << " must hold directions as [k, d] float32, got " << a.shape.size() << " dimensions");
  LW_EXPECT(a.shape[1] == static_cast<std::int64_t>(space.dims()),
            npy.string() << " holds directions of dimension " << a.shape[1] << ", but " << space.name()
                         << " of this model has " << space.dims());
  auto t = torch::from_blob(const_cast<float*>(a.data.data()), {a.shape[0], a.shape[1]}).clone();
  const auto norms = t.norm(2, 1, true);
  LW_EXPECT((norms > 1e-6).all().item<bool>(), npy.string() << " holds a zero direction");
  return t / norms;
}

}  // namespace lw
