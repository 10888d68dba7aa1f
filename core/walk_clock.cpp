#include "core/walk_clock.hpp"

namespace lw {

void WalkClock::restart() {
  time_ = 0.0;
  anchor_time_ = anchor_walk_ = 0.0;
}

double WalkClock::walk_time(double speed) {
  if (speed_known_ && speed != speed_) {
    anchor_walk_ += (time_ - anchor_time_) * speed_;
    anchor_time_ = time_;
  }
  speed_ = speed;
  speed_known_ = true;
  // With the anchor at (0, 0) this is speed * time to the last bit.
  return anchor_walk_ + (time_ - anchor_time_) * speed;
}

double WalkClock::tap(double now) {
  if (!taps_.empty() && now - taps_.back() > 2.0) taps_.clear();
  taps_.push_back(now);
  if (taps_.size() > 8) taps_.erase(taps_.begin(), taps_.end() - 8);
  if (taps_.size() < 2) return 0.0;
  return 60.0 * static_cast<double>(taps_.size() - 1) / (taps_.back() - taps_.front());
}

}  // namespace lw
