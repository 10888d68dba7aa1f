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
  // A plain attribute the source reads and a method may set (a switch, a dtype code).
  void attribute(const std::string& name, bool value);
  void attribute(const std::string& name, std::int64_t value);
  // A float literal that reads back to exactly `v`.
  static std::string real(double v);
  std::ostringstream& src() { return src_; }
  torch::jit::Module finish();

 private:
  torch::jit::Module module_;
  std::ostringstream src_;
  std::map<std::string, bool> names_;
};

}  // namespace lw::plugin::stylegan
