#include "core/synth_beat.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numbers>

#include "core/base/check.hpp"

namespace lw {

namespace {

constexpr double kTau = 2.0 * std::numbers::pi;

// Uniform noise in [-1, 1] from a sample's index (splitmix64): no state, the same everywhere.
double noise(std::uint64_t i) {
  std::uint64_t x = i + 0x9E3779B97F4A7C15ull;
  x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
  x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
  x ^= x >> 31;
  return static_cast<double>(x >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

// Adds `hit(t)` for t in [0, length) seconds after `at` to one channel pair with a pan (-1 left, 1 right).
template <typename Hit>
void add(std::vector<float>& out, int rate, int channels, double at, double length, double pan, Hit hit) {
  const auto first = static_cast<std::size_t>(std::llround(at * rate));
  const auto n = static_cast<std::size_t>(length * rate);
  const std::size_t frames = out.size() / static_cast<std::size_t>(channels);
  const double left = channels == 1 ? 1.0 : std::sqrt(0.5 * (1.0 - pan)), right = std::sqrt(0.5 * (1.0 + pan));
  for (std::size_t i = 0; i < n && first + i < frames; ++i) {
    const double v = hit(static_cast<double>(i) / rate, first + i);
    if (channels == 1) {
      out[first + i] += static_cast<float>(v);
    } else {
      out[(first + i) * 2] += static_cast<float>(v * left);
      out[(first + i) * 2 + 1] += static_cast<float>(v * right);
    }
  }
}

}  // namespace

SynthBeat synth_beat(const SynthBeatSettings& s) {
  LW_EXPECT(s.bpm >= 20.0 && s.bpm <= 400.0, "the beat's tempo must be between 20 and 400 bpm, got " << s.bpm);
  LW_EXPECT(s.seconds >= 1.0 && s.seconds <= 600.0, "the beat must last between 1 and 600 seconds, got " << s.seconds);
  LW_EXPECT(s.sample_rate >= 8000 && s.sample_rate <= 192000, "the beat's sample rate must be between 8000 and 192000 Hz, got " << s.sample_rate);
  LW_EXPECT(s.channels == 1 || s.channels == 2, "the beat is mono or stereo, not " << s.channels << " channels");
  LW_EXPECT(s.first_beat >= 0.0 && s.first_beat < s.seconds, "the first beat must fall inside the beat");
  SynthBeat b;
  const auto frames = static_cast<std::size_t>(std::llround(s.seconds * s.sample_rate));
  b.samples.assign(frames * static_cast<std::size_t>(s.channels), 0.f);
  const double beat = 60.0 / s.bpm;
  const int rate = s.sample_rate, ch = s.channels;
  // The chord of each bar: A minor, F, C, G (Hz), over the whole bar, softly.
  const double chords[4][3] = {{220.0, 261.63, 329.63}, {174.61, 220.0, 261.63}, {261.63, 329.63, 392.0}, {196.0, 246.94, 293.66}};
  int bar = 0;
  for (double at = s.first_beat; at < s.seconds; at += 4 * beat, ++bar) {
    const auto& chord = chords[bar % 4];
    add(b.samples, rate, ch, at, 4 * beat, -0.4, [&](double t, std::uint64_t) {
      const double env = std::min(1.0, t / 0.05) * std::min(1.0, (4 * beat - t) / 0.05);
      return 0.05 * env * (std::sin(kTau * chord[0] * t) + std::sin(kTau * chord[1] * t) + std::sin(kTau * chord[2] * t));
    });
  }
  for (double at = s.first_beat; at < s.seconds - 0.05; at += beat) {
    b.kicks.push_back(at);
    // A sine falling from 150 to 50 Hz (its phase the integral of the frequency) and a 3 ms click.
    add(b.samples, rate, ch, at, 0.4, 0.0, [&](double t, std::uint64_t i) {
      const double phase = kTau * (50.0 * t + 100.0 * 0.04 * (1.0 - std::exp(-t / 0.04)));
      return 0.8 * std::exp(-t / 0.12) * std::sin(phase) + (t < 0.003 ? 0.3 * noise(i) : 0.0);
    });
    const double off = at + beat / 2;
    if (off >= s.seconds - 0.05) continue;
    b.hats.push_back(off);
    add(b.samples, rate, ch, off, 0.08, 0.5, [&](double t, std::uint64_t i) {
      return 0.25 * std::exp(-t / 0.015) * 0.5 * (noise(i ^ 0xABCDEFull) - noise((i - 1) ^ 0xABCDEFull));
    });
  }
  for (float& x : b.samples) x = std::clamp(x, -0.98f, 0.98f);
  return b;
}

}  // namespace lw
