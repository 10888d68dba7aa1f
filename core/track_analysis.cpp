#include "core/track_analysis.hpp"

#include <algorithm>
#include <cmath>

#include "core/base/check.hpp"

namespace lw {

namespace {

// Least squares time = phase + period * number over the beats `keep` marks.
std::pair<double, double> fit_line(const std::vector<double>& beats, const std::vector<double>& numbers,
                                   const std::vector<bool>& keep) {
  double n = 0, sx = 0, sy = 0, sxx = 0, sxy = 0;
  for (std::size_t i = 0; i < beats.size(); ++i) {
    if (!keep[i]) continue;
    n += 1, sx += numbers[i], sy += beats[i], sxx += numbers[i] * numbers[i], sxy += numbers[i] * beats[i];
  }
  const double denom = n * sxx - sx * sx;
  if (n < 2 || denom <= 0) return {0.0, 0.0};
  const double period = (n * sxy - sx * sy) / denom;
  return {(sy - period * sx) / n, period};
}

}  // namespace

BeatGrid fit_beat_grid(const std::vector<double>& beats) {
  BeatGrid grid;
  if (beats.size() < 4) return grid;
  std::vector<double> intervals;
  for (std::size_t i = 1; i < beats.size(); ++i) intervals.push_back(beats[i] - beats[i - 1]);
  std::nth_element(intervals.begin(), intervals.begin() + static_cast<long>(intervals.size() / 2), intervals.end());
  const double median = intervals[intervals.size() / 2];
  if (!(median > 0.0)) return grid;
  // Numbered beat to beat (a gap of two intervals skips a number): a median a little off does
  // not add up over a long track.
  std::vector<double> numbers{0.0};
  for (std::size_t i = 1; i < beats.size(); ++i)
    numbers.push_back(numbers.back() + std::max(1.0, std::round((beats[i] - beats[i - 1]) / median)));
  std::vector<bool> keep(beats.size(), true);
  auto [phase, period] = fit_line(beats, numbers, keep);
  for (std::size_t i = 0; i < beats.size(); ++i) keep[i] = std::abs(beats[i] - (phase + period * numbers[i])) <= period / 4;
  std::tie(phase, period) = fit_line(beats, numbers, keep);
  if (!(period > 0.0)) return grid;
  grid.bpm = 60.0 / period;
  grid.first_beat = phase - std::floor(phase / period) * period;
  return grid;
}

BeatGrid snap_to_onsets(const BeatGrid& grid, const std::vector<double>& onsets) {
  if (grid.bpm <= 0.0) return grid;
  const double period = 60.0 / grid.bpm;
  std::vector<double> times, numbers;
  for (double onset : onsets) {
    const double n = std::round((onset - grid.first_beat) / period);
    if (std::abs(onset - (grid.first_beat + n * period)) < period / 8) times.push_back(onset), numbers.push_back(n);
  }
  if (times.size() < 4) return grid;
  const auto [phase, fitted] = fit_line(times, numbers, std::vector<bool>(times.size(), true));
  if (!(fitted > 0.0) || std::abs(fitted - period) > period * 0.02) return grid;  // not the same tempo: keep the beats'
  BeatGrid snapped;
  snapped.bpm = 60.0 / fitted;
  snapped.first_beat = phase - std::floor(phase / fitted) * fitted;
  return snapped;
}

double BeatGrid::clock_at(double t) const {
  if (bpm <= 0.0) return t;
  return std::max(0.0, t - first_beat);
}

bool BeatGrid::beat_in(double t0, double t1) const {
  if (bpm <= 0.0 || t1 < first_beat) return false;
  const double period = 60.0 / bpm;
  // The last grid beat at or before t1 lies after t0.
  const double last = first_beat + std::floor((t1 - first_beat) / period + 1e-9) * period;
  return last > t0 + 1e-9;
}

TrackAnalysis analyse_track(std::span<const float> mono, const AudioAnalysisSettings& settings,
                            const std::function<void(double)>& progress) {
  TrackAnalysis a;
  a.settings = settings;
  AudioAnalyzer analyzer(settings);
  const auto hop = static_cast<std::size_t>(settings.hop);
  const std::size_t count = mono.size() / hop;
  a.hops.reserve(count);
  const std::size_t report_every = std::max<std::size_t>(1, count / 100);
  for (std::size_t i = 0; i < count; ++i) {
    AudioFeatures f = analyzer.process(mono.subspan(i * hop, hop));
    if (f.onset) a.onsets.push_back(std::max(0.0, f.onset_time));
    if (f.beat) a.beats.push_back(f.beat_time);
    a.hops.push_back(f);
    if (progress && i % report_every == 0) progress(static_cast<double>(i) / static_cast<double>(count));
  }
  std::sort(a.onsets.begin(), a.onsets.end());
  a.grid = snap_to_onsets(fit_beat_grid(a.beats), a.onsets);
  a.seconds = static_cast<double>(mono.size()) / settings.sample_rate;
  if (progress) progress(1.0);
  return a;
}

AudioFeatures TrackAnalysis::frame(double t, double span) const {
  AudioFeatures f;
  f.time = t;
  f.bpm = grid.bpm;
  if (hops.empty()) return f;
  const double hops_per_second = static_cast<double>(settings.sample_rate) / settings.hop;
  // Hop i ends at (i + 1) / hops_per_second: those ending in (t - span, t].
  const auto last = static_cast<long long>(std::floor(t * hops_per_second + 1e-9)) - 1;
  const auto first = std::max(static_cast<long long>(std::floor((t - span) * hops_per_second + 1e-9)), 0LL);
  const long long hi = std::min(last, static_cast<long long>(hops.size()) - 1);
  const long long lo = std::min(first, hi);
  if (hi >= 0) {
    double level = 0, bass = 0, mid = 0, high = 0;
    for (long long i = lo; i <= hi; ++i) {
      const AudioFeatures& h = hops[static_cast<std::size_t>(i)];
      level += h.level * h.level, bass += h.bass * h.bass, mid += h.mid * h.mid, high += h.high * h.high;
    }
    const double n = static_cast<double>(hi - lo + 1);
    f.level = std::sqrt(level / n), f.bass = std::sqrt(bass / n), f.mid = std::sqrt(mid / n), f.high = std::sqrt(high / n);
  }
  const double t0 = t - span;
  const auto onset = std::upper_bound(onsets.begin(), onsets.end(), t0 + 1e-9);
  f.onset = onset != onsets.end() && *onset <= t + 1e-9;
  if (f.onset) f.onset_time = *onset;
  if (grid.bpm > 0.0) {
    f.beat = grid.beat_in(t0, t);
  } else {
    const auto beat = std::upper_bound(beats.begin(), beats.end(), t0 + 1e-9);
    f.beat = beat != beats.end() && *beat <= t + 1e-9;
  }
  return f;
}

}  // namespace lw
