// What an OSC message means to the stage, decided on the render thread against the parameter
// registry: a parameter path sets its value (clamped to the range; NaN and infinities refused),
// /norm/PATH sets it from 0..1 across the range (what faders send), a trigger asks the stage to
// act, and /edit/NAME/alpha for a direction with no edit yet asks for one. Pure: no sockets, no
// threads, so every rule is tested directly.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/parameters.hpp"
#include "core/triggers.hpp"
#include "gui/control/osc_message.hpp"

namespace lw::control {

using lw::Trigger;
using lw::trigger_of;

struct Routed {
  enum class Kind {
    Applied,      // a registry value was set (maybe clamped)
    Triggered,    // `trigger`, with `text` (/preset/load) or `value` (/clock/play 0|1)
    EditWanted,   // /edit/`text`/alpha = `value` for a direction that has no edit yet
    CodeWanted,   // /tile/`tile`/code: `code`, the tile's start code (a new scene)
    Unknown,      // an address that is none of these
    Rejected,     // a known address with arguments it does not take (none, too many, NaN, a blob)
  };
  Kind kind = Kind::Unknown;
  Trigger trigger = Trigger::Tap;
  std::string text;
  double value = 0.0;
  int parameter = -1;  // Applied: the registry index
  int tile = 0;        // CodeWanted: 1-based
  std::vector<double> code;
};

Routed route_osc(const OscMessage& message, ParameterRegistry& registry);

// One line per address the stage answers (for `latentwalk osc-map` and README): the registry's
// parameters with type, range and help, their /norm forms, and the triggers.
struct OscAddress {
  std::string address, arguments, help;
};
std::vector<OscAddress> osc_address_space(const ParameterRegistry& registry, const std::vector<std::string>& edit_names);

}  // namespace lw::control
