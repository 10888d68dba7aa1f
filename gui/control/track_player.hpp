// A track played live: on the default output device through PortAudio (whose callback only copies
// samples and counts them), looping, from a given second; its position is what the listener
// hears now (the device's clock at the speaker, between buffers too), which the stage's clock
// follows. With no output device it plays silently on the steady clock, so a rehearsal without
// speakers (or a test) runs the same walk, and says so once. It starts paused: the stage starts
// it with its first frame.
#pragma once

#include <atomic>
#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace lw::control {

// Where a track's playback is, which a stage's clock follows: a player, or a test's hand.
class Playback {
 public:
  virtual ~Playback() = default;
  virtual double position() const = 0;  // seconds into the track heard now
  virtual void pause(bool paused) = 0;
  virtual bool audible() const = 0;     // heard on an output device
};

class TrackPlayer : public Playback {
 public:
  // `samples`: interleaved, `channels` per frame at `rate`; playing from `start` seconds.
  // `output`: false plays silently without looking for a device.
  TrackPlayer(std::vector<float> samples, int rate, int channels, double start, bool output = true);
  ~TrackPlayer();
  TrackPlayer(const TrackPlayer&) = delete;
  TrackPlayer& operator=(const TrackPlayer&) = delete;

  double position() const override;  // in [0, seconds())
  double seconds() const { return static_cast<double>(frames_) / rate_; }
  void pause(bool paused) override;
  bool audible() const override { return stream_ != nullptr; }
  const std::string& device() const { return device_; }  // the output, or why it plays silently

  struct Playback;  // what the device callback reads and advances

 private:
  std::vector<float> samples_;
  int rate_ = 0, channels_ = 0;
  std::size_t frames_ = 0;  // sample frames in the track
  std::unique_ptr<Playback> playback_;
  void* stream_ = nullptr;  // PaStream
  double latency_ = 0.0;    // seconds between the callback and the speaker
  std::string device_;
  // Silent playback: the position at `since` and whether it moves.
  std::atomic<bool> paused_{true};
  double silent_at_ = 0.0;
  std::chrono::steady_clock::time_point since_{};
};

}  // namespace lw::control
