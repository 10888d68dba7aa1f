// rosinality/stylegan2-pytorch checkpoints: their `g_ema` state dict re-expressed as the module
// tree of an NVlabs StyleGAN2 generator (the same arithmetic under other names), so one network
// definition (stylegan2.hpp) draws both.
#pragma once

#include <memory>
#include <optional>

#include "plugin/stylegan/module_tree.hpp"
#include "plugin/stylegan/shapes.hpp"

namespace lw::pickle {
struct Value;
}

namespace lw::plugin::stylegan {

// `state` is the g_ema dict; `args` the checkpoint's argparse namespace when it has one (its
// size and latent are checked against the weights).
std::unique_ptr<ModuleNode> rosinality_tree(const pickle::Value& state, const pickle::Value* args, RosinalityShape shape);

}  // namespace lw::plugin::stylegan
