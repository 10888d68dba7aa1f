#include "core/track_analysis.hpp"

#include <algorithm>
#include <cmath>
#include <numbers>

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

// The period within 2% of `around` on which `times` agree best in phase (each counting `weight`),
// and that phase: a tracker that slips half a beat now and then, or misses one, moves only those
// beats off it; off-beats weigh against the beats but less where the beats are louder.
std::pair<double, double> agreeing_period(const std::vector<double>& times, const std::vector<double>& weights, double around) {
  double period = around, phase = 0.0, agreement = -1.0;
  auto search = [&](double centre, double step) {
    for (int k = -200; k <= 200; ++k) {
      const double p = centre * (1.0 + step * k);
      double c = 0.0, s = 0.0;
      for (std::size_t i = 0; i < times.size(); ++i) {
        const double angle = 2 * std::numbers::pi * times[i] / p;
        c += weights[i] * std::cos(angle), s += weights[i] * std::sin(angle);
      }
      if (c * c + s * s > agreement) agreement = c * c + s * s, period = p, phase = std::atan2(s, c) / (2 * std::numbers::pi) * p;
    }
  };
  search(around, 1e-4);       // 2% either way
  search(period, 1e-4 / 200);  // then to a millionth: an hour's beats still agree
  return {period, phase};
}

// A least-squares line through the times within `tolerance` of the grid (period, phase).
BeatGrid grid_through(const std::vector<double>& times, double period, double phase, double tolerance) {
  std::vector<double> numbers;
  std::vector<bool> keep;
  for (double t : times) {
    const double n = std::round((t - phase) / period);
    numbers.push_back(n);
    keep.push_back(std::abs(t - (phase + n * period)) <= tolerance * period);
  }
  if (std::count(keep.begin(), keep.end(), true) < 4) return {};
  const auto [fitted_phase, fitted] = fit_line(times, numbers, keep);
  if (!(fitted > 0.0)) return {};
  return {60.0 / fitted, fitted_phase - std::floor(fitted_phase / fitted) * fitted};
}

}  // namespace

BeatGrid fit_beat_grid(const std::vector<double>& beats) {
  if (beats.size() < 4) return {};
  std::vector<double> intervals;
  for (std::size_t i = 1; i < beats.size(); ++i) intervals.push_back(beats[i] - beats[i - 1]);
  std::nth_element(intervals.begin(), intervals.begin() + static_cast<long>(intervals.size() / 2), intervals.end());
  const double median = intervals[intervals.size() / 2];
  if (!(median > 0.0)) return {};
  const auto [period, phase] = agreeing_period(beats, std::vector<double>(beats.size(), 1.0), median);
  return grid_through(beats, period, phase, 0.25);
}

BeatGrid snap_to_onsets(const BeatGrid& grid, const std::vector<double>& onsets, const std::vector<double>& weights) {
  if (grid.bpm <= 0.0 || onsets.size() < 4) return grid;
  const auto [period, phase] = agreeing_period(onsets, weights, 60.0 / grid.bpm);
  const BeatGrid snapped = grid_through(onsets, period, phase, 0.125);
  return snapped.bpm > 0.0 ? snapped : grid;
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
  // Each onset weighs what follows it in the bass: kicks, which mark beats, outweigh hats.
  std::vector<double> weights;
  for (double onset : a.onsets) {
    const auto first = static_cast<std::size_t>(onset * settings.sample_rate / settings.hop);
    double bass = 0.0;
    for (std::size_t i = first; i < std::min(first + 4, a.hops.size()); ++i) bass = std::max(bass, a.hops[i].bass);
    weights.push_back(bass + 1e-3);
  }
  a.grid = snap_to_onsets(fit_beat_grid(a.beats), a.onsets, weights);
  a.seconds = static_cast<double>(mono.size()) / settings.sample_rate;
  if (progress) progress(1.0);
  return a;
}

AudioFeatures TrackAnalysis::frame(double t, double span) const {
  AudioFeatures f;
  f.time = t;
  f.bpm = grid.bpm;
  if (hops.empty() || t - span >= seconds) return f;  // past the end: silence
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
    f.beat = grid.beat_in(t0, std::min(t, seconds));
  } else {
    const auto beat = std::upper_bound(beats.begin(), beats.end(), t0 + 1e-9);
    f.beat = beat != beats.end() && *beat <= t + 1e-9;
  }
  return f;
}

}  // namespace lw
