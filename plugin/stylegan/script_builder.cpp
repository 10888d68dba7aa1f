#include "plugin/stylegan/script_builder.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <vector>

#include "core/base/check.hpp"

namespace lw::plugin::stylegan {

namespace {
std::string flat_name(const std::string& name) {
  std::string flat = name;
  for (char& c : flat)
    if (c == '.') c = '_';
  return flat;
}
}  // namespace

std::string ScriptBuilder::shared(const std::string& name, const at::Tensor& t) {
  return names_.count(flat_name(name)) ? "self." + flat_name(name) : tensor(name, t);
}

std::string ScriptBuilder::tensor(const std::string& name, const at::Tensor& t) {
  // Names come from the file (module and layer names) and become source text: only plain
  // identifiers pass, so nothing a file says can add a statement to the network.
  const std::string flat = flat_name(name);
  const bool identifier = !flat.empty() && flat.size() <= 200 && !std::isdigit(static_cast<unsigned char>(flat[0])) &&
                          std::all_of(flat.begin(), flat.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
  LW_EXPECT(identifier, "network file: '" << name.substr(0, 60) << "' is not a plain name (letters, digits, '_')");
  LW_EXPECT(!names_.count(flat), "network file: two tensors are both named '" << flat << "'");
  names_[flat] = true;
  module_.register_buffer(flat, t.detach().contiguous());
  return "self." + flat;
}

void ScriptBuilder::low_precision_switch() {
  module_.register_attribute("low_precision", c10::BoolType::get(), false);
  module_.register_attribute("low_dtype", c10::IntType::get(), static_cast<std::int64_t>(c10::ScalarType::Half));
  // dtypes are ScalarType codes in TorchScript (6: float32, 5: float16, 15: bfloat16).
  src_ << R"(
def set_low_precision(self, on: bool, dtype: int) -> None:
    self.low_precision = on
    self.low_dtype = dtype

def block_input(self, x: Tensor, low: bool) -> Tensor:
    if low and self.low_precision:
        return x.to(self.low_dtype)
    return x.float()
)";
}

std::string ScriptBuilder::real(double v) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "%.17g", v);
  std::string s = buf;
  if (s.find_first_of(".en") == std::string::npos) s += ".0";
  return s;
}

at::Tensor upfirdn_filter(const at::Tensor& f, double gain, int channels) {
  const double scale = std::pow(gain, static_cast<double>(f.dim()) / 2.0);
  std::vector<std::int64_t> dims;
  for (std::int64_t d = 0; d < f.dim(); ++d) dims.push_back(d);
  at::Tensor g = (f * scale).flip(dims).unsqueeze(0).unsqueeze(0);
  std::vector<std::int64_t> reps(static_cast<std::size_t>(g.dim()), 1);
  reps[0] = channels;
  return g.repeat(reps).contiguous();
}

torch::jit::Module ScriptBuilder::finish() {
  module_.define(src_.str());
  module_.eval();
  return module_;
}

}  // namespace lw::plugin::stylegan
