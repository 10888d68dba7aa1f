#include "gui/control/osc_router.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <string_view>

namespace lw::control {

namespace {

Routed rejected() { return {Routed::Kind::Rejected}; }

// One finite number: what a parameter or /norm address takes.
bool one_number(const OscMessage& m, double& value) {
  if (m.unsupported || m.numbers.size() != 1 || !std::isfinite(m.numbers[0])) return false;
  value = m.numbers[0];
  return true;
}

}  // namespace

Routed route_osc(const OscMessage& m, ParameterRegistry& registry) {
  if (const auto* t = trigger_address(m.address)) {
    Routed r{Routed::Kind::Triggered, t->trigger};
    if (t->trigger == Trigger::LoadPreset) {
      if (!m.has_text || m.text.empty()) return rejected();
      r.text = m.text;
    } else if (t->trigger == Trigger::Play) {
      if (!one_number(m, r.value)) return rejected();
    }
    return r;
  }
  if (const auto code = std::string_view(m.address); code.rfind("/tile/", 0) == 0 && code.size() > 11 &&
                                                     code.substr(code.size() - 5) == "/code") {
    const std::string_view number = code.substr(6, code.size() - 11);
    int tile = 0;
    const auto [end, ec] = std::from_chars(number.data(), number.data() + number.size(), tile);
    if (ec != std::errc() || end != number.data() + number.size() || tile < 1) return {Routed::Kind::Unknown};
    if (m.unsupported || m.numbers.empty()) return rejected();
    for (const double v : m.numbers)
      if (!std::isfinite(v)) return rejected();
    Routed r{Routed::Kind::CodeWanted};
    r.tile = tile, r.code = m.numbers;
    return r;
  }
  std::string_view path = m.address;
  const bool normalised = path.rfind("/norm/", 0) == 0;
  if (normalised) path.remove_prefix(5);
  const auto index = registry.find(path);
  if (!index) {
    // /edit/NAME/alpha for a direction without an edit: the stage adds one (a new scene).
    constexpr std::string_view edit = "/edit/", alpha = "/alpha";
    if (!normalised && path.rfind(edit, 0) == 0 && path.size() > edit.size() + alpha.size() &&
        path.substr(path.size() - alpha.size()) == alpha) {
      Routed r{Routed::Kind::EditWanted};
      if (!one_number(m, r.value)) return rejected();
      r.text = std::string(path.substr(edit.size(), path.size() - edit.size() - alpha.size()));
      return r;
    }
    return {Routed::Kind::Unknown};
  }
  double value = 0.0;
  if (!one_number(m, value)) return rejected();
  const ParamInfo& info = registry.info(*index);
  if (normalised) value = info.min + std::clamp(value, 0.0, 1.0) * (info.max - info.min);
  registry.set(*index, value);  // clamped to the range; finite here
  Routed r{Routed::Kind::Applied};
  r.parameter = *index;
  r.value = registry.value(*index);
  return r;
}

std::vector<OscAddress> osc_address_space(const ParameterRegistry& registry, const std::vector<std::string>& edit_names) {
  auto number = [](double v) {
    std::string s = std::to_string(v);
    s.erase(s.find_last_not_of('0') + 1);
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
  };
  std::vector<OscAddress> out;
  for (int i = 0; i < registry.size(); ++i) {
    const ParamInfo& p = registry.info(i);
    const char* type = p.type == ParamType::Float ? "f" : p.type == ParamType::Int ? "i" : "T|F";
    out.push_back({p.path, std::string(type) + " " + number(p.min) + ".." + number(p.max) + (p.unit.empty() ? "" : " " + p.unit),
                   p.help});
  }
  for (const auto& name : edit_names)
    if (!registry.find("/edit/" + name + "/alpha"))
      out.push_back({"/edit/" + name + "/alpha", "f -100..100", "the edit along " + name + " (added on first use)"});
  for (int i = 0; i < registry.size(); ++i)
    out.push_back({"/norm" + registry.info(i).path, "f 0..1", "the same across its range (faders, knobs)"});
  for (int tile = 1; registry.find("/tile/" + std::to_string(tile) + "/stride"); ++tile)
    out.push_back({"/tile/" + std::to_string(tile) + "/code", "f x d",
                   "the tile's start code: d numbers in the walk's space (a direction walk; a new scene)"});
  for (const auto& t : kTriggerAddresses) out.push_back({t.address, t.arguments, t.help});
  return out;
}

}  // namespace lw::control
