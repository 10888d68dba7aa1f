// A metronome as a microphone hears it, for the audio tests: clicks at `bpm` from `first` s on,
// each 80 ms of a 1.5 kHz tone decaying from 0.8, over a faint 50 Hz hum (digital silence is
// not what a microphone hears). The clicks' times go to `clicks`.
#pragma once

#include <cmath>
#include <numbers>
#include <vector>

namespace lw::test {

inline std::vector<float> metronome(int rate, double bpm, double seconds, double first, std::vector<double>& clicks) {
  std::vector<float> s(static_cast<std::size_t>(seconds * rate));
  for (std::size_t i = 0; i < s.size(); ++i)
    s[i] = static_cast<float>(1e-3 * std::sin(2.0 * std::numbers::pi * 50.0 * static_cast<double>(i) / rate));
  for (double t = first; t < seconds - 0.1; t += 60.0 / bpm) {
    clicks.push_back(t);
    const auto start = static_cast<std::size_t>(t * rate);
    for (std::size_t i = 0; i < static_cast<std::size_t>(0.08 * rate); ++i)
      s[start + i] += static_cast<float>(0.8 * std::sin(2.0 * std::numbers::pi * 1500.0 * static_cast<double>(i) / rate) *
                                         std::exp(-static_cast<double>(i) / (0.02 * rate)));
  }
  return s;
}

}  // namespace lw::test
