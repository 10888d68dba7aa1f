// The frame-time history the Performance panel plots and `view --json` summarises: a fixed
// ring of recent samples per stage, with percentiles. No allocation after construction.
#pragma once

#include <array>
#include <cstddef>
#include <string_view>
#include <vector>

namespace lw::stage {

enum class Timing : std::size_t { Generate, Handoff, Draw, Ui, Frame, Count };
std::string_view timing_name(Timing s);

class FrameTimeHistory {
 public:
  explicit FrameTimeHistory(std::size_t capacity = 512);

  void record(Timing s, float milliseconds);
  // q in [0, 1] over the samples held for the stage (nearest rank); 0 when there are none.
  float percentile(Timing s, float q) const;
  std::size_t count(Timing s) const;
  // The held samples, oldest first, for plotting.
  void ordered(Timing s, std::vector<float>& out) const;

 private:
  struct Ring {
    std::vector<float> values;
    std::size_t next = 0, size = 0;
  };
  std::array<Ring, static_cast<std::size_t>(Timing::Count)> rings_;
  mutable std::vector<float> scratch_;
};

}  // namespace lw::stage
