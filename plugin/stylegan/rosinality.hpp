// rosinality/stylegan2-pytorch checkpoints: their `g_ema` state dict re-expressed as the module
// tree of an NVlabs StyleGAN2 generator (the same arithmetic under other names), so one network
// definition (stylegan2.hpp) draws both.
#pragma once

#include <memory>
#include <optional>

#include "plugin/stylegan/module_tree.hpp"

namespace lw::pickle {
struct Value;
}

namespace lw::plugin::stylegan {

struct RosinalityShape {
  std::optional<int> size, style_dim, n_mlp;  // read from the weights when not given
  double lr_mlp = 0.01;                       // rosinality's default; not stored in checkpoints
};

// `state` is the g_ema dict; `args` the checkpoint's argparse namespace when it has one (its
// size and latent are checked against the weights).
std::unique_ptr<ModuleNode> rosinality_tree(const pickle::Value& state, const pickle::Value* args, RosinalityShape shape);

}  // namespace lw::plugin::stylegan
