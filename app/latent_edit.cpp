#include "app/latent_edit.hpp"

#include <torch/torch.h>

#include <tuple>

#include "app/cli.hpp"
#include "core/base/check.hpp"
#include "core/model.hpp"

namespace lw::app {

Space parse_space(const std::string& text) {
  if (text == "z") return Space::Z;
  if (text == "w") return Space::W;
  if (text == "wplus") return Space::WPlus;
  LW_FAIL("--space must be z, w or wplus, got \"" << text << "\"");
}

std::string space_name(Space s) { return s == Space::Z ? "z" : s == Space::W ? "w" : "wplus"; }

LayerRange parse_layers(const std::string& text) {
  const auto pair = parse_pair<int>(text, ':');
  LW_EXPECT(pair, "--layers expects a:b (layers a to b-1), got \"" << text << "\"");
  LayerRange r;
  std::tie(r.begin, r.end) = *pair;
  LW_EXPECT(r.begin >= 0 && r.end > r.begin, "--layers a:b needs 0 <= a < b, got \"" << text << "\"");
  return r;
}

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

at::Tensor edited_images(const Generator& g, const at::Tensor& codes, Space space, const at::Tensor& direction,
                         float alpha, const LayerRange& layers) {
  if (space == Space::Z) return g.generate(codes + alpha * direction);
  if (space == Space::W) return g.synthesis(codes + alpha * direction);
  auto ws = codes.clone();
  const int end = layers.end < 0 ? g.num_ws() : layers.end;
  ws.slice(1, layers.begin, end) += alpha * direction;
  return g.synthesis(ws);
}

at::Tensor to_tensor(const Eigen::VectorXf& v) {
  return torch::from_blob(const_cast<float*>(v.data()), {v.size()}).clone();
}

}  // namespace lw::app
