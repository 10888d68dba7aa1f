#include "core/track_performance.hpp"

#include <algorithm>

#include "core/base/check.hpp"
#include "core/walk_clock.hpp"

namespace lw {

BeatGrid track_clock_grid(const TrackAnalysis& track, ParameterRegistry& registry, const SceneParameters& layout) {
  if (layout.bpm < 0 || registry.value(layout.bpm) <= 0.0 || track.grid.bpm <= 0.0) return {};
  registry.set(layout.bpm, track.grid.bpm);
  return track.grid;
}

TrackPerformance perform_track(const Preset& walks, ParameterRegistry registry, const SceneParameters& layout,
                               const TrackAnalysis& track, const TrackFrames& frames) {
  LW_EXPECT(frames.fps > 0.0 && frames.frames >= 0, "a track render needs a positive frame rate");
  TrackPerformance out;
  const BeatGrid grid = track_clock_grid(track, registry, layout);
  BindingEngine bindings;
  bindings.load(walks.bindings, registry);
  WalkClock clock(grid.clock_at(frames.start));
  AutomationRecorder recorder(walks);
  const double dt = 1.0 / frames.fps;
  for (std::int64_t k = 0; k < frames.frames; ++k) {
    const double at = static_cast<double>(k) / frames.fps, t = frames.start + at;
    auto fired = bindings.audio_events(track.frame(t, dt));
    const double clock_time = grid.clock_at(t);
    std::vector<std::string> targets = bindings.evaluate(clock_time, registry.value(layout.bpm), dt, registry);
    for (auto& f : fired) targets.push_back(std::move(f.address));
    for (std::string& target : targets)
      if (std::find(out.ignored.begin(), out.ignored.end(), target) == out.ignored.end()) out.ignored.push_back(std::move(target));
    clock.set(clock_time);
    const double walk = clock.walk_time(registry.value(layout.speed));
    recorder.frame(at, clock_time, walk, registry);
  }
  out.timeline = recorder.timeline();
  return out;
}

}  // namespace lw
