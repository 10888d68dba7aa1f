// Every value a performer can move, registered once: a path ("/tile/1/stride"), a type, a range,
// a default and a unit. Panels, the command line (--set PATH=VALUE), presets and, next, OSC,
// MIDI, audio bindings and automation set values here; the scene reads them every frame, so a
// move rebuilds nothing (nvpro_core2's ParameterRegistry is the model). The registry lives on
// the stage's render thread; the worker gets a copy of the values with each frame it is asked
// for, so no value is read while it is written.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace lw {

enum class ParamType { Float, Int, Bool };

struct ParamInfo {
  std::string path;  // "/clock/speed": lower case, '/'-separated, as OSC addresses them
  ParamType type = ParamType::Float;
  double min = 0.0, max = 1.0, default_value = 0.0;
  std::string unit;  // "s", "deg", "bpm", "x", or empty
  std::string help;  // one line for listings
};

class ParameterRegistry {
 public:
  // Registers a parameter at its default; returns its index. Throws on a path already taken,
  // a malformed path or a default outside the range.
  int add(const ParamInfo& info);
  void clear();

  int size() const { return static_cast<int>(infos_.size()); }
  const ParamInfo& info(int index) const { return infos_.at(static_cast<std::size_t>(index)); }
  std::optional<int> find(std::string_view path) const;
  // The index of `path`; throws naming the path and the nearest registered ones.
  int index(std::string_view path) const;

  double value(int index) const { return values_.at(static_cast<std::size_t>(index)); }
  double value(std::string_view path) const { return value(index(path)); }
  const std::vector<double>& values() const { return values_; }

  // Sets a value clamped to the range (Int rounded, Bool 0 or 1). NaN or an infinity is
  // refused: false, the value unchanged.
  bool set(int index, double value);
  // "PATH=VALUE" (VALUE a number, or true/false): throws naming what is wrong.
  void assign(std::string_view assignment);
  // Grows with every set() that changed a value.
  std::uint64_t changes() const { return changes_; }

 private:
  std::vector<ParamInfo> infos_;
  std::vector<double> values_;
  std::uint64_t changes_ = 0;
};

}  // namespace lw
