// A beat synthesised from nothing, for trying audio bindings and testing music videos without
// downloading audio: a kick on every beat (a falling sine with a click), a hi-hat on every
// off-beat (high-passed noise), and a soft three-note chord that changes every bar (four beats),
// panned apart in stereo. Deterministic (its noise is counter-based): the same settings give the
// same samples on every machine, and every hit's time is known.
#pragma once

#include <vector>

namespace lw {

struct SynthBeatSettings {
  double bpm = 120.0;
  double seconds = 16.0;
  int sample_rate = 44100;
  int channels = 2;          // 1: the mix in mono
  double first_beat = 0.5;   // seconds of silence before the first kick
};

struct SynthBeat {
  std::vector<float> samples;  // interleaved, in [-1, 1]
  std::vector<double> kicks;   // seconds, each beat
  std::vector<double> hats;    // seconds, each off-beat
};

// Throws lw::Error on settings out of range (20..400 bpm, 1..600 s, 8000..192000 Hz, 1..2 channels).
SynthBeat synth_beat(const SynthBeatSettings& settings);

}  // namespace lw
