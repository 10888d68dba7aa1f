// A whole track analysed ahead, for music videos and for playing a track live: every hop's
// features through the live analyser (AudioAnalyzer, the same functions), onsets placed where
// they are in the audio (the detector's look-ahead taken back), and the track's beat grid (its
// tempo and where its beats fall) fitted to the beats the tracker found and the onsets on them. Then a frame's features
// are those of the samples in its time window, so what a frame shows depends on the audio and
// the frame's time only, never on how fast frames are drawn.
#pragma once

#include <functional>
#include <span>
#include <vector>

#include "core/audio_features.hpp"

namespace lw {

struct BeatGrid {
  double bpm = 0.0;         // 0: too few beats to tell
  double first_beat = 0.0;  // a beat of the grid, seconds, in [0, 60 / bpm)
  // The clock time a walk in beats reads at track time `t`: beat n of the grid is at clock time
  // n * 60 / bpm, so periods and segments counted in beats turn on the track's beats. Holds at
  // 0 until the first beat; `t` itself when there is no grid.
  double clock_at(double t) const;
  // The grid's beats in (t0, t1].
  bool beat_in(double t0, double t1) const;
};

struct TrackAnalysis {
  AudioAnalysisSettings settings;
  std::vector<AudioFeatures> hops;  // hop i holds samples [i * hop, (i + 1) * hop)
  std::vector<double> onsets;       // seconds into the track, in order
  std::vector<double> beats;        // the tracker's beats, seconds, in order
  BeatGrid grid;
  double seconds = 0.0;

  // The features of the frame at `t` seconds, from the samples in (t - span, t]: level and bands
  // as the root mean square over its hops (the last hop before `t` when none ends inside), onset
  // and beat set when one falls inside (beats from the grid when there is one), bpm the grid's.
  // Past the end of the track, silence.
  AudioFeatures frame(double t, double span) const;
};

// Analyses mono samples at `settings.sample_rate` (the rate of the samples; hop and window as
// live). `progress(fraction)` now and then on long tracks.
TrackAnalysis analyse_track(std::span<const float> mono, const AudioAnalysisSettings& settings,
                            const std::function<void(double)>& progress = {});

// The tempo and phase that best fit `beats` (seconds, in order): the period within 2% of the
// median interval on which most beats agree in phase (a tracker that slips half a beat now and
// then, or misses one, moves only those beats off it), then a least-squares line through the
// beats within a quarter period of that grid.
BeatGrid fit_beat_grid(const std::vector<double>& beats);
// `grid` fitted again to the onsets: the period within 2% of its own on which the onsets agree
// best in phase, each weighing `weights` (the bass after it: kicks mark beats), then a line
// through the onsets within an eighth of a period of that grid. A beat tracker places beats on
// its hop grid and slips now and then (aubio keeps a 120 bpm beat at 121.1 over three minutes);
// onsets are placed to the sample they were found in.
BeatGrid snap_to_onsets(const BeatGrid& grid, const std::vector<double>& onsets, const std::vector<double>& weights);

}  // namespace lw
