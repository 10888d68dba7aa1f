// The stage's clock: clock time (seconds since the walk's start or the last downbeat) and walk
// time (what the walks read: clock time times /clock/speed, continuing without a jump when the
// speed moves), plus tap tempo. Display-paced (a window) it advances by each frame's real
// duration while playing, a frame at a time while paused; content-paced (headless and
// recording) frame k is at start + k / fps exactly. No statics: one clock per stage.
#pragma once

#include <cstdint>
#include <vector>

namespace lw {

class WalkClock {
 public:
  explicit WalkClock(double start = 0.0) : time_(start) {}

  double time() const { return time_; }
  // Display-paced: `seconds` more, scaled by nothing (speed applies in walk_time).
  void advance(double seconds) { time_ += seconds; }
  // Content-paced: exactly this clock time.
  void set(double clock_time) { time_ = clock_time; }
  // The downbeat: clock and walk back to 0, every loop starting now.
  void restart();

  // The walk time at the current clock time under `speed`: speed * time while the speed has not
  // moved (exactly, so recorded frames do not depend on when a speed was last set); after a
  // change, it continues from where the walk was.
  double walk_time(double speed);

  // Tap tempo at `now` seconds: the BPM of the mean of up to seven intervals between the last
  // taps, or 0 until two taps lie within two seconds of each other; a pause of more than two
  // seconds starts over.
  double tap(double now);

 private:
  double time_ = 0.0;
  double anchor_time_ = 0.0, anchor_walk_ = 0.0;  // where the current speed took over
  double speed_ = 0.0;
  bool speed_known_ = false;
  std::vector<double> taps_;
};

}  // namespace lw
