// A track driving a scene: the clock it sets (the track's seconds, or its beats when the walks
// count beats) and, for a music video, every frame's parameter values worked out ahead by the
// preset's bindings fed the track's analysis frame by frame (frame k at start + k / fps, its
// audio the samples of (t - 1/fps, t]). The result is a timeline the stage replays exactly as it
// replays a recorded performance, so the frames do not depend on how fast they are drawn and the
// generator works ahead as for any recording. Live, the stage feeds the same frames to the same
// bindings as the track plays.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/automation.hpp"
#include "core/binding_engine.hpp"
#include "core/scene_parameters.hpp"
#include "core/track_analysis.hpp"

namespace lw {

// The grid the clock follows under a track: the track's when the walks count beats (/clock/bpm
// above 0; it is then set to the track's tempo), else none (the clock reads the track's
// seconds).
BeatGrid track_clock_grid(const TrackAnalysis& track, ParameterRegistry& registry, const SceneParameters& layout);

struct TrackFrames {
  double start = 0.0;  // the track's second of frame 0
  double fps = 30.0;
  std::int64_t frames = 0;
};

struct TrackPerformance {
  Automation timeline;               // frame k at k / fps
  std::vector<std::string> ignored;  // trigger targets the bindings fired, each once: a render plays no triggers
};

// `registry`, `layout`: the scene of `walks` as its first frame has it (preset values, --set).
TrackPerformance perform_track(const Preset& walks, ParameterRegistry registry, const SceneParameters& layout,
                               const TrackAnalysis& track, const TrackFrames& frames);

}  // namespace lw
