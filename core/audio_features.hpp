// What a performance reacts to in sound, from blocks ("hops") of mono samples: level (RMS),
// bass (20-150 Hz), mid (150-2000 Hz) and high (2 kHz up) band amplitudes, onsets (aubio's
// high-frequency-content detector) with a sensitivity and a refractory time, and beats with the tempo tracked so far
// (aubio, Debian's libaubio). A pure function of the samples fed in, in order: the live input
// and an offline render of a track get the same features for the same samples.
#pragma once

#include <deque>
#include <memory>
#include <span>

namespace lw {

struct AudioAnalysisSettings {
  int sample_rate = 48000;
  int hop = 512;                  // samples per analysis block (10.7 ms at 48 kHz)
  int window = 1024;              // FFT size
  double onset_threshold = 0.3;   // aubio's peak-picking threshold: lower finds more onsets
  double refractory = 0.05;       // seconds after an onset in which no other is reported
};

struct AudioFeatures {
  double level = 0.0;                 // RMS of the hop: a full-scale sine is 0.707
  double bass = 0.0, mid = 0.0, high = 0.0;  // about the amplitude of what sounds in each band (a full-scale sine there: ~1)
  bool onset = false;                 // an onset was detected with this hop (aubio looks a few hops ahead)
  double onset_time = 0.0;            // where that onset is in the audio, seconds (its look-ahead taken back)
  bool beat = false;                  // a beat of the tracked tempo in this hop
  double beat_time = 0.0;             // where that beat is in the audio, seconds
  double bpm = 0.0;                   // the tempo over the last 16 beats (aubio's estimate before 4); 0 until known
  double time = 0.0;                  // seconds of audio analysed, at the end of this hop
};

class AudioAnalyzer {
 public:
  // Throws lw::Error on settings aubio does not take (window not a power of two, hop above it).
  explicit AudioAnalyzer(const AudioAnalysisSettings& settings);
  ~AudioAnalyzer();
  AudioAnalyzer(const AudioAnalyzer&) = delete;
  AudioAnalyzer& operator=(const AudioAnalyzer&) = delete;

  const AudioAnalysisSettings& settings() const { return settings_; }
  // One hop of mono samples in [-1, 1] (exactly settings().hop of them).
  AudioFeatures process(std::span<const float> hop);

 private:
  struct Aubio;
  AudioAnalysisSettings settings_;
  std::unique_ptr<Aubio> aubio_;
  long long samples_ = 0;
  static constexpr std::size_t kTempoBeats = 16;
  std::deque<double> beats_;  // the last beats' times, seconds
};

}  // namespace lw
