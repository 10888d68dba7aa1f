// Editing in the model's latent spaces, shared by `edit` and `evaluate-edits`: Z (z + a n),
// W (mapping(z) + a n) and W+ (a n added to the per-layer codes of layers [begin, end)).
#pragma once

#include <ATen/core/Tensor.h>

#include <Eigen/Core>
#include <string>

namespace lw {
class Generator;
}

namespace lw::app {

enum class Space { Z, W, WPlus };

Space parse_space(const std::string& text);  // "z", "w" or "wplus"
std::string space_name(Space s);

struct LayerRange {
  int begin = 0, end = -1;  // [begin, end); end -1: through the last layer
};
LayerRange parse_layers(const std::string& text);  // "a:b"

// Checks that the generator has the space and that `direction` has its dimension.
void check_space(const Generator& g, Space space, const Eigen::VectorXf& direction, const LayerRange& layers);

// The latent codes of `z` in `space`: z itself, w [B, w_dim], or ws [B, num_ws, w_dim].
at::Tensor codes_in(const Generator& g, const at::Tensor& z, Space space);
// Images of `codes` (from codes_in) moved by alpha * direction.
at::Tensor edited_images(const Generator& g, const at::Tensor& codes, Space space, const at::Tensor& direction,
                         float alpha, const LayerRange& layers = {});

at::Tensor to_tensor(const Eigen::VectorXf& v);

}  // namespace lw::app
