// Live audio for bindings: samples from a capture device (PortAudio, which reaches ALSA, JACK
// and PulseAudio/PipeWire through one API and one callback model, so one code path serves every
// Linux audio setup) or pushed by a caller (a file played in real time), analysed on a thread of
// its own by core's AudioAnalyzer, the features queued for the stage. The device callback only
// copies samples into a lock-free ring: it never allocates, locks or analyses.
#pragma once

#include <atomic>
#include <memory>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "core/audio_features.hpp"
#include "gui/control/spsc_queue.hpp"

namespace lw::control {

class AudioInput {
 public:
  using Features = SpscQueue<AudioFeatures, 1024>;

  // No device: samples come from push() at `settings.sample_rate`.
  explicit AudioInput(const AudioAnalysisSettings& settings);
  // Captures from a device: "default", or a name (or part of one) PortAudio lists. Throws
  // lw::Error listing the input devices when none matches, or saying there is none.
  static std::unique_ptr<AudioInput> open_device(const std::string& device, AudioAnalysisSettings settings);
  ~AudioInput();
  AudioInput(const AudioInput&) = delete;
  AudioInput& operator=(const AudioInput&) = delete;

  // Producer side (one thread, or the device's callback): mono samples in [-1, 1]; what the ring
  // cannot take is dropped and counted.
  void push(std::span<const float> samples);
  // The stage's side: features of each analysed hop, oldest first.
  Features& features() { return *features_; }
  const std::string& source() const { return source_; }
  int sample_rate() const { return settings_.sample_rate; }
  unsigned long long hops() const { return hops_.load(); }
  unsigned long long dropped_samples() const { return dropped_.load(); }
  // Hops whose features the stage's queue could not take (it drains once per frame: a stalled
  // frame of over 1,024 hops, ~11 s at the defaults, loses the oldest news, never blocks).
  unsigned long long dropped_features() const { return features_dropped_.load(); }
  // Blocks until every sample pushed so far has been analysed (files and tests).
  void drain() const;
  struct Capture;

 private:
  void run();
  std::size_t available() const;

  AudioAnalysisSettings settings_;
  std::string source_ = "pushed samples";
  std::vector<float> ring_;  // a power of two long
  alignas(64) std::atomic<std::size_t> written_{0};
  alignas(64) std::atomic<std::size_t> read_{0};
  std::unique_ptr<Features> features_;
  std::atomic<unsigned long long> hops_{0}, dropped_{0}, features_dropped_{0};
  std::atomic<bool> stop_{false};
  void* stream_ = nullptr;  // PaStream
  std::unique_ptr<Capture> capture_;  // what the device callback reads: this input, the device's channels
  std::thread thread_;
};

}  // namespace lw::control
