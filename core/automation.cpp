#include "core/automation.hpp"

#include <algorithm>
#include <cmath>
#include <nlohmann/json.hpp>

#include "core/base/check.hpp"
#include "core/base/text_file.hpp"
#include "core/json_fields.hpp"

namespace lw {

AutomationFrame Automation::times_at(double at) const {
  if (frames.empty()) return {at, at, at};
  const auto after = std::upper_bound(frames.begin(), frames.end(), at, [](double t, const AutomationFrame& f) { return t < f.at; });
  if (after == frames.begin()) return frames.front();
  const AutomationFrame& a = *(after - 1);
  if (after == frames.end() || after->at <= a.at) return {at, a.clock, a.walk};
  const AutomationFrame& b = *after;
  if (b.clock < a.clock) return {at, a.clock, a.walk};  // a downbeat between them: no sweep backwards
  const double f = (at - a.at) / (b.at - a.at);
  return {at, a.clock + f * (b.clock - a.clock), a.walk + f * (b.walk - a.walk)};
}

std::vector<double> Automation::values_at(double at, const ParameterRegistry& registry) const {
  if (tracks_.empty())
    for (const auto& e : events) tracks_[e.path].emplace_back(e.at, e.value);
  std::vector<double> values = registry.values();
  for (int i = 0; i < registry.size(); ++i) {
    const auto track = tracks_.find(registry.info(i).path);
    if (track == tracks_.end()) continue;
    const auto after = std::upper_bound(track->second.begin(), track->second.end(), at,
                                        [](double t, const std::pair<double, double>& e) { return t < e.first; });
    if (after != track->second.begin()) values[static_cast<std::size_t>(i)] = (after - 1)->second;
  }
  return values;
}

void AutomationRecorder::frame(double at, double clock, double walk, const ParameterRegistry& registry) {
  auto& frames = timeline_.frames;
  if (!frames.empty() && at <= frames.back().at) {
    // A repost of frames already recorded: they are drawn again with what holds now.
    while (!frames.empty() && frames.back().at >= at) frames.pop_back();
    auto& events = timeline_.events;
    while (!events.empty() && events.back().at >= at) events.pop_back();
    last_.clear();
    for (const auto& e : events) last_[e.path] = e.value;
  }
  frames.push_back({at, clock, walk});
  for (int i = 0; i < registry.size(); ++i) {
    const std::string& path = registry.info(i).path;
    const double v = registry.value(i);
    const auto it = last_.find(path);
    if (it != last_.end() && it->second == v) continue;
    last_[path] = v;
    timeline_.events.push_back({at, path, v});
  }
}

std::string automation_json(const Automation& a) {
  nlohmann::json frames = nlohmann::json::array(), events = nlohmann::json::array();
  for (const auto& f : a.frames) frames.push_back({f.at, f.clock, f.walk});
  for (const auto& e : a.events) events.push_back({e.at, e.path, e.value});
  const nlohmann::json j{{"version", 1}, {"preset", nlohmann::json::parse(preset_json(a.preset))}, {"frames", frames}, {"events", events}};
  return j.dump() + "\n";
}

Automation parse_automation(const std::string& text, const std::string& source) {
  const auto j = nlohmann::json::parse(text, nullptr, false);
  LW_EXPECT(!j.is_discarded() && j.is_object(), source << " is not an automation file (not a JSON object)");
  JsonFields fields(j, source);
  LW_EXPECT(fields.get<int>("version") == 1, source << ": automation version must be 1");
  const auto& preset = fields.raw("preset");
  const auto& frames = fields.raw("frames");
  const auto& events = fields.raw("events");
  fields.no_others();
  LW_EXPECT(frames.is_array() && events.is_array(), source << ": an automation file has \"preset\", \"frames\" and \"events\"");
  Automation a;
  a.preset = parse_preset(preset.dump(), source + ": preset");
  double last = -1.0;
  for (const auto& f : frames) {
    LW_EXPECT(f.is_array() && f.size() == 3 && f[0].is_number() && f[1].is_number() && f[2].is_number(),
              source << ": each frame is [seconds, clock, walk]");
    AutomationFrame frame{f[0].get<double>(), f[1].get<double>(), f[2].get<double>()};
    LW_EXPECT(std::isfinite(frame.at) && std::isfinite(frame.clock) && std::isfinite(frame.walk) && frame.at > last,
              source << ": frames must be finite and in time order");
    last = frame.at;
    a.frames.push_back(frame);
  }
  last = -1.0;
  for (const auto& e : events) {
    LW_EXPECT(e.is_array() && e.size() == 3 && e[0].is_number() && e[1].is_string() && e[2].is_number(),
              source << ": each event is [seconds, path, value]");
    AutomationEvent event{e[0].get<double>(), e[1].get<std::string>(), e[2].get<double>()};
    LW_EXPECT(std::isfinite(event.at) && std::isfinite(event.value) && event.at >= last, source << ": events must be finite and in time order");
    last = event.at;
    a.events.push_back(event);
  }
  LW_EXPECT(!a.frames.empty(), source << ": the automation holds no frames");
  return a;
}

Automation read_automation(const std::filesystem::path& path) {
  return parse_automation(read_text_file(path, "automation file"), path.string());
}

}  // namespace lw
