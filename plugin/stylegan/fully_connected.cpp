#include "plugin/stylegan/fully_connected.hpp"

#include "plugin/stylegan/script_builder.hpp"

namespace lw::plugin::stylegan {

std::string linear_expression(ScriptBuilder& b, const ModuleNode& fc, const std::string& input) {
  return "torch.addmm(" + b.tensor(fc.path + ".bias", fc_bias(fc)) + ".unsqueeze(0), " + input + ", " +
         b.tensor(fc.path + ".weight", fc_weight(fc)) + ".t())";
}

at::Tensor fc_weight(const ModuleNode& fc) { return fc.tensor("weight") * fc.number("weight_gain"); }

at::Tensor fc_bias(const ModuleNode& fc) {
  const double gain = fc.number("bias_gain");
  return gain != 1.0 ? fc.tensor("bias") * gain : fc.tensor("bias");
}

}  // namespace lw::plugin::stylegan
