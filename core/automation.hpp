// A live performance as a timeline: the walks it began with and, frame by frame, the clock, the
// walk time and every parameter value that changed (by path), stamped with the performance's
// seconds. `record --automation` replays it frame exact at any size and frame rate: a live set
// re-rendered offline, clean. Structure changes made during the set (a loaded preset, a new
// edit) are not replayed: the timeline holds parameters.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "core/parameters.hpp"
#include "core/preset.hpp"

namespace lw {

struct AutomationFrame {
  double at = 0.0;     // seconds since the recording began
  double clock = 0.0;  // the stage's clock time then
  double walk = 0.0;   // and its walk time
};

struct AutomationEvent {
  double at = 0.0;
  std::string path;
  double value = 0.0;
};

struct Automation {
  Preset preset;                        // the walks when the recording began (paths absolute)
  std::vector<AutomationFrame> frames;  // in time order
  std::vector<AutomationEvent> events;  // in time order; the first frame's values come first

  double duration() const { return frames.empty() ? 0.0 : frames.back().at; }
  // The clock and walk time at `at` seconds: linear between the recorded frames around it (the
  // earlier one's across a jump backwards, a downbeat), the last one's after the end.
  AutomationFrame times_at(double at) const;
  // `registry`'s values with every event up to `at` applied by path (paths it lacks skipped).
  // Each path's events are indexed on first use: a frame costs a search per parameter, not a
  // pass over the whole set.
  std::vector<double> values_at(double at, const ParameterRegistry& registry) const;

 private:
  using Track = std::vector<std::pair<double, double>>;  // (at, value), in time order
  mutable std::map<std::string, Track> tracks_;
};

// Collects frames as they are drawn. Only changed values are kept.
class AutomationRecorder {
 public:
  explicit AutomationRecorder(const Preset& walks) { timeline_.preset = walks; }
  // A frame at `at` seconds; a frame at or before the last one's time replaces it (a repost).
  void frame(double at, double clock, double walk, const ParameterRegistry& registry);
  const Automation& timeline() const { return timeline_; }

 private:
  Automation timeline_;
  std::map<std::string, double> last_;  // each path's value as last recorded
};

// The timeline as JSON ({"version": 1, "preset": {...}, "frames": [[at, clock, walk], ...],
// "events": [[at, path, value], ...]}) and back; throws lw::Error naming `source` on bad input.
std::string automation_json(const Automation& a);
Automation parse_automation(const std::string& text, const std::string& source);
Automation read_automation(const std::filesystem::path& path);

}  // namespace lw
