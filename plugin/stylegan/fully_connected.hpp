// NVlabs' FullyConnectedLayer as the imported networks run it: the learning-rate gains folded
// into the weights at import (weight * weight_gain, bias * bias_gain when it is not 1: the same
// float operations NVlabs does on every call, done once), and the TorchScript helper of its
// leaky-ReLU form, shared by the mappings of StyleGAN2 and StyleGAN3 and the discriminator.
#pragma once

#include <ATen/core/Tensor.h>

#include <string>

#include "plugin/stylegan/module_tree.hpp"

namespace lw::plugin::stylegan {

at::Tensor fc_weight(const ModuleNode& fc);
at::Tensor fc_bias(const ModuleNode& fc);

class ScriptBuilder;
// The TorchScript expression of a linear FullyConnectedLayer (a style affine) applied to `input`,
// its weight and bias registered with `b`: NVlabs' addmm(b, x, w^T).
std::string linear_expression(ScriptBuilder& b, const ModuleNode& fc, const std::string& input);

// fc_lrelu(x, w, b): x w^T + b, leaky ReLU (0.2), times sqrt(2); NVlabs' bias_act order.
inline constexpr const char* kFullyConnectedSource = R"(
def fc_lrelu(self, x: Tensor, w: Tensor, b: Tensor) -> Tensor:
    x = torch.matmul(x, w.t())
    return torch.leaky_relu(x + b.unsqueeze(0), 0.2) * 1.4142135623730951
)";

}  // namespace lw::plugin::stylegan
