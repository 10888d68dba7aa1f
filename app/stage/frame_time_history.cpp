#include "app/stage/frame_time_history.hpp"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace lw::stage {

std::string_view timing_name(Timing s) {
  switch (s) {
    case Timing::Generate: return "generate";
    case Timing::Handoff: return "handoff";
    case Timing::Draw: return "draw";
    case Timing::Ui: return "ui";
    case Timing::Frame: return "frame";
    case Timing::Count: break;
  }
  return "?";
}

FrameTimeHistory::FrameTimeHistory(std::size_t capacity) {
  if (capacity == 0) throw std::invalid_argument("frame-time history needs a positive capacity");
  for (auto& r : rings_) r.values.assign(capacity, 0.f);
  scratch_.reserve(capacity);
}

void FrameTimeHistory::record(Timing s, float ms) {
  auto& r = rings_.at(static_cast<std::size_t>(s));
  r.values[r.next] = ms;
  r.next = (r.next + 1) % r.values.size();
  r.size = std::min(r.size + 1, r.values.size());
}

std::size_t FrameTimeHistory::count(Timing s) const { return rings_.at(static_cast<std::size_t>(s)).size; }

void FrameTimeHistory::ordered(Timing s, std::vector<float>& out) const {
  const auto& r = rings_.at(static_cast<std::size_t>(s));
  out.clear();
  const std::size_t cap = r.values.size(), first = (r.next + cap - r.size) % cap;
  for (std::size_t i = 0; i < r.size; ++i) out.push_back(r.values[(first + i) % cap]);
}

float FrameTimeHistory::percentile(Timing s, float q) const {
  ordered(s, scratch_);
  if (scratch_.empty()) return 0.f;
  const auto rank = static_cast<std::size_t>(std::ceil(std::clamp(q, 0.f, 1.f) * static_cast<float>(scratch_.size())));
  const std::size_t k = rank == 0 ? 0 : rank - 1;
  std::nth_element(scratch_.begin(), scratch_.begin() + static_cast<std::ptrdiff_t>(k), scratch_.end());
  return scratch_[k];
}

}  // namespace lw::stage
