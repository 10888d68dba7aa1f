#include "plugin/stylegan/script_builder.hpp"

#include <cstdio>

#include "core/base/check.hpp"

namespace lw::plugin::stylegan {

std::string ScriptBuilder::tensor(const std::string& name, const at::Tensor& t) {
  std::string flat = name;
  for (char& c : flat)
    if (c == '.') c = '_';
  LW_CHECK(!names_.count(flat), "tensor '" << flat << "' registered twice");
  names_[flat] = true;
  module_.register_buffer(flat, t.detach().contiguous());
  return "self." + flat;
}

std::string ScriptBuilder::real(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  std::string s = buf;
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

torch::jit::Module ScriptBuilder::finish() {
  module_.define(src_.str());
  module_.eval();
  return module_;
}

}  // namespace lw::plugin::stylegan
