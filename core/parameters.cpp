#include "core/parameters.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <sstream>

#include "core/base/check.hpp"

namespace lw {

namespace {

bool valid_path(std::string_view p) {
  if (p.size() < 2 || p.front() != '/' || p.back() == '/') return false;
  char previous = '/';
  for (std::size_t i = 1; i < p.size(); ++i) {
    const char c = p[i];
    const bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '/';
    if (!ok || (c == '/' && previous == '/')) return false;
    previous = c;
  }
  return true;
}

double conformed(const ParamInfo& info, double v) {
  v = std::clamp(v, info.min, info.max);
  if (info.type == ParamType::Int) return std::round(v);
  if (info.type == ParamType::Bool) return v >= 0.5 ? 1.0 : 0.0;
  return v;
}

}  // namespace

int ParameterRegistry::add(const ParamInfo& info) {
  LW_CHECK(valid_path(info.path), "parameter path \"" << info.path << "\" is not /lower_case/words");
  LW_CHECK(!find(info.path), "parameter " << info.path << " is registered twice");
  LW_CHECK(info.min <= info.default_value && info.default_value <= info.max,
           "parameter " << info.path << ": default " << info.default_value << " outside " << info.min << ".." << info.max);
  infos_.push_back(info);
  values_.push_back(conformed(info, info.default_value));
  return size() - 1;
}

void ParameterRegistry::clear() {
  infos_.clear();
  values_.clear();
}

std::optional<int> ParameterRegistry::find(std::string_view path) const {
  for (std::size_t i = 0; i < infos_.size(); ++i)
    if (infos_[i].path == path) return static_cast<int>(i);
  return std::nullopt;
}

int ParameterRegistry::index(std::string_view path) const {
  if (const auto i = find(path)) return *i;
  // The paths under the same first word, or all of them: what the user may have meant.
  const auto head = path.substr(0, path.find('/', 1));
  std::ostringstream known;
  int listed = 0;
  for (const auto& info : infos_)
    if (std::string_view(info.path).substr(0, head.size()) == head && listed < 12) known << (listed++ ? ", " : "") << info.path;
  if (listed == 0)
    for (const auto& info : infos_)
      if (listed < 12) known << (listed++ ? ", " : "") << info.path;
  LW_FAIL("no parameter " << path << (listed ? "; parameters here: " + known.str() : std::string()));
}

bool ParameterRegistry::set(int index, double value) {
  if (!std::isfinite(value)) return false;
  const auto i = static_cast<std::size_t>(index);
  const double v = conformed(infos_.at(i), value);
  if (v != values_[i]) {
    values_[i] = v;
    ++changes_;
  }
  return true;
}

void ParameterRegistry::assign(std::string_view text) {
  const auto eq = text.find('=');
  LW_EXPECT(eq != std::string_view::npos, "--set expects PATH=VALUE, for example /tile/1/stride=2, got \"" << text << "\"");
  const int i = index(text.substr(0, eq));
  const auto value_text = text.substr(eq + 1);
  double v = 0.0;
  if (value_text == "true" || value_text == "on") {
    v = 1.0;
  } else if (value_text == "false" || value_text == "off") {
    v = 0.0;
  } else {
    const auto [end, ec] = std::from_chars(value_text.data(), value_text.data() + value_text.size(), v);
    LW_EXPECT(ec == std::errc() && end == value_text.data() + value_text.size() && !value_text.empty(),
              "--set " << text << ": \"" << value_text << "\" is not a number");
  }
  const ParamInfo& p = info(i);
  LW_EXPECT(std::isfinite(v), "--set " << text << ": the value must be finite");
  LW_EXPECT(v >= p.min && v <= p.max, "--set " << text << ": " << p.path << " must be between " << p.min << " and " << p.max
                                               << (p.unit.empty() ? "" : " " + p.unit) << ", got " << v);
  set(i, v);
}

}  // namespace lw
