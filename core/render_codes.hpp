// The one way latentwalk's codes become images: the space they are in, the truncation applied
// first and StyleGAN3's input transform. The stage's generator worker, the compare plots, `edit`,
// `demo`, `compare-walks`, `discover` and the evaluations all go through render_codes, so each
// draws exactly what the others measure.
// Include only from .cpp files that work with tensors: LibTorch headers are heavy.
#pragma once

#include <ATen/core/Tensor.h>

#include <array>

#include "core/latent_space.hpp"

namespace lw {
class Generator;

struct RenderSpec {
  Space space = Space::Z;
  float truncation = 1.f;  // psi; 1: none
  // StyleGAN3's input transform (NVlabs' gen_images --rotate / --translate): the image rotated
  // by `rotate` degrees and moved by (translate_x, translate_y); ignored by other models.
  float rotate = 0.f, translate_x = 0.f, translate_y = 0.f;
  bool operator==(const RenderSpec&) const = default;
};

// codes [B, d] (Z, W) or [B, num_ws, w_dim] (W+) -> images [B, 3, H, W]. Truncation pulls W codes
// toward w_avg (w_avg + psi (w - w_avg)); in Z it maps first, or, for a model without a mapping
// network, scales z by psi. No gradients.
at::Tensor render_codes(const Generator& g, const at::Tensor& codes, const RenderSpec& spec, const at::Tensor& w_avg);

// The centre truncation pulls toward, [w_dim]: the model's own w_avg when it carries one, else
// the mean of W over 4096 seeded codes. Undefined for a model without a mapping network.
at::Tensor mean_w(const Generator& g);

// NVlabs' make_transform(translate, angle) of gen_images.py, inverted: what StyleGAN3's
// synthesis.input.transform holds for an image rotated by `degrees` and moved by (tx, ty).
// Row-major 3x3.
std::array<float, 9> input_transform(float degrees, float tx, float ty);

}  // namespace lw
