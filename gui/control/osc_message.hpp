// One OSC message as the stage sees it: the address and its arguments, already decoded on the
// input thread (numbers as doubles: f, d, i, h and T/F; one string for /preset/load).
#pragma once

#include <string>
#include <vector>

namespace lw::control {

struct OscMessage {
  std::string address;
  std::vector<double> numbers;
  std::string text;           // the first string argument, if any
  bool has_text = false;
  bool unsupported = false;   // an argument type the stage does not take (blob, MIDI, ...)
};

// The counts an OSC input keeps (read from any thread).
struct OscCounters {
  unsigned long long packets = 0;      // datagrams received
  unsigned long long messages = 0;     // messages decoded from them (bundles hold several)
  unsigned long long malformed = 0;    // datagrams or bundle elements that were not OSC
  unsigned long long queue_full = 0;   // messages dropped because the stage was behind
};

}  // namespace lw::control
