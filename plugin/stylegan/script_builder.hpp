// Writes a network as TorchScript source around tensors taken from a network file, the way the
// default model's networks are built (plugin/default_networks.cpp): one module, the file's
// tensors registered as buffers under flat names, methods defined from generated source.
#pragma once

#include <torch/script.h>

#include <map>
#include <sstream>
#include <string>

namespace lw::plugin::stylegan {

class ScriptBuilder {
 public:
  explicit ScriptBuilder(const std::string& class_name) : module_(class_name) {}

  // Registers `t` under a flat name made from `name` ("synthesis.b4.const" -> synthesis_b4_const)
  // and returns the expression that reads it.
  std::string tensor(const std::string& name, const at::Tensor& t);
  // The same, for a tensor many layers use (a resampling filter): registered the first time
  // `name` is asked for, the same expression after that.
  std::string shared(const std::string& name, const at::Tensor& t);
  // NVlabs runs the layers it marks use_fp16 in half precision on a GPU. This adds the switch:
  // set_low_precision(on, dtype) and block_input(x, low), which casts a block's input to that
  // dtype when the block is marked low and the switch is on, and to float32 otherwise.
  void low_precision_switch();
  // A float literal that reads back to exactly `v`.
  static std::string real(double v);
  std::ostringstream& src() { return src_; }
  torch::jit::Module finish();

 private:
  torch::jit::Module module_;
  std::ostringstream src_;
  std::map<std::string, bool> names_;
};

// A filter as NVlabs' upfirdn2d applies it: scaled by gain^(ndim/2), flipped, one copy per
// channel for a depthwise convolution: [C, 1, taps] or [C, 1, kh, kw].
at::Tensor upfirdn_filter(const at::Tensor& f, double gain, int channels);

}  // namespace lw::plugin::stylegan
